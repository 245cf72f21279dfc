// Load from wrk (the tool the peers' figures come from): one thread, a Lua script that posts the body and counts
// responses per window, and a parser for wrk's report.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadOptions, LoadResult } from './load-result';

const SCRIPT = `
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
local window = tonumber(os.getenv("BENCH_WINDOW_S"))
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) started = os.time(); counts = {} end
function response(status, headers, body)
  local w = math.floor((os.time() - started) / window)
  counts[w] = (counts[w] or 0) + 1
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for w, n in pairs(thread:get("counts")) do io.write(string.format("window %d %d\\n", w, n)) end
  end
end
`;

let scriptFile: string | undefined;

export async function runWrk(opts: LoadOptions): Promise<LoadResult> {
  if (!scriptFile) {
    scriptFile = path.join(os.tmpdir(), `baton-bench-${process.pid}.lua`);
    writeFileSync(scriptFile, SCRIPT);
    const file = scriptFile;
    process.once('exit', () => rmSync(file, { force: true }));
  }
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.durationS}s`, '--timeout', `${opts.timeoutS}s`, '--latency'];
  const child = spawn('wrk', [...args, '-s', scriptFile, opts.url], {
    env: { ...process.env, BENCH_BODY: opts.body, BENCH_WINDOW_S: String(opts.windowS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const guard = setTimeout(() => child.kill('SIGKILL'), (opts.durationS + 60) * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  if (code !== 0) throw new Error(`wrk exited with code ${code} against ${opts.url}:\n${output}`);
  return parseWrk(output);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseWrk(output: string): LoadResult {
  const number = (pattern: RegExp) => Number(output.match(pattern)?.[1] ?? 0);
  const latency = (percent: number) => {
    const match = output.match(new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  };
  const requests = number(/^\s*(\d+) requests in /m);
  const windows: number[] = [];
  for (const [, index, count] of output.matchAll(/^window (\d+) (\d+)$/gm)) windows[Number(index)] = Number(count);
  const errors = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    tool: 'wrk',
    requests,
    rps: number(/^Requests\/sec:\s+([\d.]+)/m),
    p50Ms: requests > 0 ? latency(50) : NaN,
    p99Ms: requests > 0 ? latency(99) : NaN,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: errors ? Number(errors[1]) + Number(errors[2]) + Number(errors[3]) : 0,
    timeouts: errors ? Number(errors[4]) : 0,
    windows: Array.from(windows, (count) => count ?? 0),
  };
}
