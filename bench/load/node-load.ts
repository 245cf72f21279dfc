// A closed-loop load generator in Node, used only where wrk is not installed: `connections` keep-alive connections,
// each posting the next request as soon as the previous one answered. It counts the way wrk does: answers slower
// than the timeout are timeouts rather than latencies, and requests unanswered at the end are dropped.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadOptions, LoadResult } from './load-result';

export async function runNodeLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const stop = new AbortController();
  const started = performance.now();
  const latencies: number[] = [];
  const windows: number[] = [];
  let requests = 0;
  let non2xx = 0;
  let socketErrors = 0;
  let timeouts = 0;

  const connection = async () => {
    while (!stop.signal.aborted) {
      const sent = performance.now();
      try {
        const status = await post(opts, agent, stop.signal);
        const answered = performance.now();
        requests++;
        const window = Math.floor((answered - started) / 1000 / opts.windowS);
        windows[window] = (windows[window] ?? 0) + 1;
        if (status < 200 || status >= 400) non2xx++;
        if (answered - sent > opts.timeoutS * 1000) timeouts++;
        else latencies.push(answered - sent);
      } catch {
        if (!stop.signal.aborted) socketErrors++;
      }
    }
  };
  const timer = setTimeout(() => stop.abort(), opts.durationS * 1000);
  await Promise.all(Array.from({ length: opts.connections }, connection));
  clearTimeout(timer);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const percentile = (q: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : NaN;
  return {
    tool: 'node',
    requests,
    rps: requests / opts.durationS,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    non2xx,
    socketErrors,
    timeouts,
    windows: Array.from(windows, (count) => count ?? 0),
  };
}

function post(opts: LoadOptions, agent: http.Agent, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      opts.url,
      {
        method: 'POST',
        agent,
        signal,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(opts.body) },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(opts.body);
  });
}
