// Cost of a standard (durable) run, split by process, with the Mongo commands it sends: the inner loop for
// work on the engine's hot path. One process holds an in-process worker and the client; runs are started the
// way the web does (record the run, start the workflow) with C in flight at once, and waited for. CPU is read
// for this process, the Temporal server and the store (FerretDB and PostgreSQL, or mongod) from /proc.
//   npx tsx bench/run-cost.ts   (BENCH_RUNS=200 BENCH_CONCURRENCY=16 BENCH_NODES=20 BENCH_PROFILE=0 BENCH_CODE_LOCAL=1)
// With BENCH_PROFILE=1 it also saves a CPU profile of this process and prints its costliest functions.
import { readdirSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createRun } from '../db/runs';
import { compilePlan } from '../ir/compile';
import type { WorkflowDocument } from '../ir/types';
import { closeTemporalClient, startRun, waitForRun } from '../temporal/client';
import { installQuietRuntime, runWorker } from '../temporal/worker';
import { writeProfileSummary, type CpuProfile } from './cpu-profile';
import { webhookBenchDocument } from './lib-bench-workflows';
import { ensureServices } from './services';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const NODES = Number(process.env.BENCH_NODES ?? 20);
const PROFILE = process.env.BENCH_PROFILE === '1';
// BENCH_CODE_LOCAL=0 gives the Code node a time limit over the bound for running locally: it runs as an activity.
const CODE_LOCAL = process.env.BENCH_CODE_LOCAL !== '0';
const WARMUP = 20;
/** What the webhook trigger hands the run for `POST {"x":1}`: the workflow reads `body.x`. */
const TRIGGER = { body: { x: 1 } };

/** The peers' workflow (bench/lib-bench-workflows.ts); with BENCH_CODE_LOCAL=0 its Code node runs as an activity. */
function peerDocument(setNodes: number): WorkflowDocument {
  const doc = webhookBenchDocument('cost', setNodes, {});
  const code = doc.nodes.find((n) => n.type === 'code')!;
  if (!CODE_LOCAL) code.params = { ...code.params, timeoutMs: 6000 };
  return doc;
}

interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  args: string;
  ticks: number;
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * CPU ms of the services this process talks to: the tree of whoever started the Temporal server listening on
 * TEMPORAL_ADDRESS's port (other Batons on the machine are not counted), by kind.
 */
function servicesCpu(): { temporal: number; db: number } {
  const all = processes();
  const port = new URL(`tcp://${process.env.TEMPORAL_ADDRESS}`).port;
  const server = all.find((p) => p.comm === 'temporal' && p.args.includes(`--port ${port}`));
  if (!server) throw new Error(`No Temporal server with --port ${port} found in /proc`);
  const tree = new Set([server.ppid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) if (tree.has(p.ppid) && !tree.has(p.pid)) grew = tree.add(p.pid) !== undefined;
  }
  const sum = (kinds: string[]) =>
    all.filter((p) => tree.has(p.pid) && kinds.some((k) => p.comm.startsWith(k))).reduce((t, p) => t + p.ticks, 0) * 10; // CLK_TCK is 100: 10 ms a tick
  return { temporal: sum(['temporal']), db: sum(['ferretdb', 'postgres', 'mongod']) };
}

/** CPU ms of this process's threads, by thread name (the main thread, workflow threads, SDK core, libuv…). */
function threadsCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const name = Number(tid) === process.pid ? `${comm} (main)` : comm;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // ended meanwhile
    }
  }
  return byName;
}

function cpuNow() {
  const own = process.cpuUsage();
  return { worker: (own.user + own.system) / 1000, ...servicesCpu(), threads: threadsCpu() };
}

/** Mongo commands this process sends, by command and collection. */
function countCommands(client: mongoose.mongo.MongoClient) {
  const counts = new Map<string, number>();
  client.on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    const key = `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return counts;
}

async function main(): Promise<void> {
  installQuietRuntime();
  const stopServices = await ensureServices();
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = '/baton_runcost';
  process.env.MONGODB_URI = uri.toString();
  process.env.BATON_QUEUE_PREFIX = `runcost-${process.pid}-`;
  await mongoose.connect(uri.toString(), { monitorCommands: true });
  await mongoose.connection.db!.dropDatabase();
  const commands = countCommands(mongoose.connection.getClient());

  const compiled = compilePlan(peerDocument(NODES), { workflowId: 'runcost', name: `run cost ${NODES}` });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
  const plan = compiled.plan;

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const worker = runWorker({ queues: ['default'], onReady: ready, until: done });
  await Promise.race([isReady, worker]);

  let started = 0;
  const oneRun = async () => {
    const runId = `run_cost_${process.pid}_${started++}`;
    await createRun({
      runId,
      workspaceId: 'ws_bench',
      workflowId: 'runcost',
      planHash: plan.hash,
      trigger: TRIGGER,
      mode: 'webhook',
    });
    await startRun({ runId, plan, trigger: TRIGGER });
    const result = await waitForRun(runId, 120_000);
    if (result.status !== 'succeeded') throw new Error(`Run ${runId} ${result.status}: ${result.error?.message}`);
  };
  const drive = async (count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
        while (left-- > 0) await oneRun();
      }),
    );
  };

  await drive(WARMUP);
  await new Promise((r) => setTimeout(r, 2000));
  const session = new Session();
  if (PROFILE) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  commands.clear();
  const before = cpuNow();
  const t0 = performance.now();
  await drive(RUNS);
  const wallMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000)); // what the runs left behind (batched writes) lands in the figures
  const after = cpuNow();
  if (PROFILE) {
    const { profile } = await session.post('Profiler.stop');
    writeProfileSummary(profile as CpuProfile, path.join(os.tmpdir(), 'baton-run-cost.cpuprofile'), 'worker process');
  }

  const per = (ms: number) => (ms / RUNS).toFixed(1);
  console.log(`\n${RUNS} runs of webhook → ${NODES} Set → Code, ${CONCURRENCY} in flight, ${os.cpus().length} CPUs`);
  console.log(`runs/s ${((RUNS / wallMs) * 1000).toFixed(1)}`);
  console.table({
    'CPU ms per run': {
      'worker+client': per(after.worker - before.worker),
      temporal: per(after.temporal - before.temporal),
      db: per(after.db - before.db),
      total: per(after.worker - before.worker + after.temporal - before.temporal + after.db - before.db),
    },
  });
  console.table(
    Object.fromEntries(
      [...after.threads]
        .map(([name, ms]) => [name, ms - (before.threads.get(name) ?? 0)] as const)
        .filter(([, ms]) => ms > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, ms]) => [name, { 'CPU ms per run': per(ms) }]),
    ),
  );
  console.table(
    Object.fromEntries(
      [...commands]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => [name, { 'per run': (count / RUNS).toFixed(2) }]),
    ),
  );
  finish();
  await worker;
  await closeTemporalClient();
  await mongoose.disconnect();
  await stopServices();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
