// Cost of an express webhook run (decision 030), split between this process and the store: the inner loop for
// work on the express path. This process is the web server (server.ts, as `npm start` runs it; BENCH_BARE=1: the
// webhook router alone) on loopback; wrk drives it with C connections. CPU is read for this process and for the store (FerretDB and PostgreSQL, or
// mongod) from /proc; Temporal is not involved in an express run.
//   npm run bench:express-cost   (BENCH_NODES=20 BENCH_CONCURRENCY=16 BENCH_DURATION=15 BENCH_PROFILE=0 BENCH_BARE=0)
// With BENCH_PROFILE=1 it also saves a CPU profile of this process and prints its costliest functions.
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import express from 'express';
import mongoose from 'mongoose';
import { checkForRun } from '../app/lib/document-check';
import { webhookRouter } from '../app/lib/webhooks.server';
import { savePlan } from '../db/plans';
import { createWorkflow, publishVersion } from '../db/workflows';
import { systemScope } from '../db/workspaces';
import { writeProfileSummary, type CpuProfile } from './cpu-profile';
import { cpuMsByRole } from './lib-process-cpu';
import { expectedAnswer, expressSettings, webhookBenchDocument } from './lib-bench-workflows';
import { runWrk } from './load/wrk';
import { ensureServices } from './services';

const NODES = Number(process.env.BENCH_NODES ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 15);
const PROFILE = process.env.BENCH_PROFILE === '1';
const BARE = process.env.BENCH_BARE === '1';
const SCOPE = systemScope('ws_bench');
const BODY = JSON.stringify({ x: 1 });

/** CPU ms of the store's processes (FerretDB and PostgreSQL, or mongod) on this machine. */
const storeCpuMs = () =>
  cpuMsByRole(
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map(Number),
  ).db;

/** CPU ms of this process's main thread: the one every request and express walk runs on, so the limit. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function publishBenchWorkflow(): Promise<string> {
  const document = webhookBenchDocument('express-cost', NODES, expressSettings());
  const workflow = await createWorkflow(SCOPE, { name: 'express cost', ownerId: 'bench', document });
  const check = checkForRun(document, { workflowId: workflow.id, name: workflow.name });
  if (!check.ok) throw new Error(`The benchmark workflow does not compile: ${JSON.stringify(check.diagnostics)}`);
  await savePlan(check.plan);
  await publishVersion(SCOPE, { workflowId: workflow.id, document, planHash: check.plan.hash, createdBy: 'bench' });
  return workflow.id;
}

/**
 * The whole web server as `npm start` runs it (server.ts: Remix build, socket.io, the live relay, security
 * headers), or with BENCH_BARE=1 only the webhook router on a bare express app.
 */
async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  if (!BARE) {
    process.env.NODE_ENV = 'production';
    const { startWeb } = await import('../server');
    const web = await startWeb({ port: 0 });
    return { url: web.url.replace('localhost', '127.0.0.1'), close: () => web.close() };
  }
  const app = express();
  app.use(webhookRouter());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = '/baton_expresscost';
  process.env.MONGODB_URI = uri.toString();
  await mongoose.connect(uri.toString());
  await mongoose.connection.db!.dropDatabase();
  const workflowId = await publishBenchWorkflow();

  const server = await serve();
  const url = `${server.url}/hooks/${workflowId}/express-cost`;
  try {
    const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: BODY });
    const got: unknown = await answer.json();
    const want = expectedAnswer(NODES);
    if (JSON.stringify(got).indexOf(`"sum":${want.sum}`) < 0)
      throw new Error(`The workflow answered ${answer.status} ${JSON.stringify(got)}; expected sum ${want.sum}`);
    console.log(`Webhook → ${NODES} Set → Code, express; wrk c=${CONCURRENCY} for ${DURATION_S} s after a 5 s warm-up`);
    await runWrk({ url, body: BODY, connections: CONCURRENCY, durationS: 5, timeoutS: 10, windowS: 5 });

    const session = PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const before = { own: ownCpuMs(), main: mainThreadCpuMs(), store: storeCpuMs() };
    const load = await runWrk({
      url,
      body: BODY,
      connections: CONCURRENCY,
      durationS: DURATION_S,
      timeoutS: 10,
      windowS: 5,
    });
    const own = ownCpuMs() - before.own;
    const main = mainThreadCpuMs() - before.main;
    const store = storeCpuMs() - before.store;
    const perRequest = (ms: number) => (ms / Math.max(1, load.requests)).toFixed(2);
    console.log(
      `${load.rps.toFixed(1)} req/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms, ` +
        `${load.non2xx} non-2xx, ${load.socketErrors} socket errors, ${load.timeouts} timeouts`,
    );
    console.log(
      `CPU per request: web ${perRequest(own)} ms (main thread ${perRequest(main)} ms, ` +
        `${((100 * main) / (DURATION_S * 1000)).toFixed(0)}% busy), store ${perRequest(store)} ms, ` +
        `total ${perRequest(own + store)} ms`,
    );
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = path.join(os.tmpdir(), `express-cost-${process.pid}.cpuprofile`);
      writeProfileSummary(profile as CpuProfile, file, `web process, ${load.requests} requests`);
    }
  } finally {
    await sleep(2000); // runs wrk left in flight are recorded before the store goes
    await server.close();
    await mongoose.disconnect();
    await stopServices();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
