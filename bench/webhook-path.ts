// Database time of the webhook hot path (find the published trigger, pin the plan, record the run, start
// it on Temporal) per request, with an empty store and with STORED runs, versions and plans of other
// workflows. Requests are sequential through the real webhook router on loopback; every Mongo command the
// process sends is timed by the driver's command monitoring. No worker runs, so the runs stay queued;
// the benchmark terminates them at the end.
//   npx tsx bench/webhook-path.ts        (BENCH_REQUESTS=100 BENCH_STORED=10000 by default)
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import mongoose from 'mongoose';
import { checkForRun } from '../app/lib/document-check';
import { webhookRouter } from '../app/lib/webhooks.server';
import { savePlan } from '../db/plans';
import { createWorkflow, publishVersion } from '../db/workflows';
import type { WorkflowDocument } from '../ir/types';
import { closeTemporalClient, terminateRun } from '../temporal/client';
import { ensureServices } from './services';
import { systemScope } from '../db/workspaces';

const TEST_SCOPE = systemScope('ws_bench');

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const STORED = Number(process.env.BENCH_STORED ?? 10_000);
const SET_NODES = 20;
const WARMUP = 10;

/** Webhook → 20 "set field" nodes → a Code node summing them: the peers' bench20 shape. */
function webhookDocument(): WorkflowDocument {
  const at = (i: number) => ({ x: 200 * i, y: 0 });
  const nodes: WorkflowDocument['nodes'] = [
    { id: 'hook', type: 'webhook-trigger', version: 1, name: 'Webhook', position: at(0), params: { path: 'bench' } },
  ];
  const edges: WorkflowDocument['edges'] = [];
  let previous = 'hook';
  for (let i = 1; i <= SET_NODES; i++) {
    nodes.push({
      id: `f${i}`,
      type: 'set-fields',
      version: 1,
      name: `Set f${i}`,
      position: at(i),
      params: { fields: { [`f${i}`]: i }, keepInput: true },
    });
    edges.push({ id: `e${i}`, source: previous, sourcePort: 'out', target: `f${i}`, targetPort: 'in' });
    previous = `f${i}`;
  }
  const sum = Array.from({ length: SET_NODES }, (_, i) => `input.f${i + 1}`).join(' + ');
  nodes.push({
    id: 'code',
    type: 'code',
    version: 1,
    name: 'Sum',
    position: at(SET_NODES + 1),
    params: { code: `return { sum: ${sum} };` },
  });
  edges.push({ id: 'ecode', source: previous, sourcePort: 'out', target: 'code', targetPort: 'in' });
  return { nodes, edges, settings: {} };
}

/** What other workflows leave behind: finished runs, published versions and their plans (stored raw). */
async function seedOtherWorkflows(db: mongoose.mongo.Db, count: number): Promise<void> {
  const filler = JSON.stringify({ nodes: Array.from({ length: 20 }, (_, i) => ({ id: `n${i}`, params: { i } })) });
  const at = new Date();
  for (let done = 0; done < count; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - done) }, (_, i) => done + i);
    const workflowId = (i: number) => `other-${Math.floor(i / 10)}`;
    await db.collection('runs').insertMany(
      batch.map((i) => ({
        _id: `run_seed_${i}` as never,
        runId: `run_seed_${i}`,
        workflowId: workflowId(i),
        planHash: `seed-plan-${i}`,
        status: 'succeeded',
        mode: 'webhook',
        trigger: '{"x":1}',
        output: '{"sum":210}',
        startedAt: at,
        endedAt: at,
      })),
    );
    await db.collection('workflow_versions').insertMany(
      batch.map((i) => ({
        workflowId: workflowId(i),
        version: (i % 10) + 1,
        documentJson: filler,
        planHash: `seed-plan-${i}`,
        createdBy: 'seed',
        createdAt: at,
      })),
    );
    await db.collection('plans').insertMany(
      batch.map((i) => ({
        _id: `seed-plan-${i}` as never,
        hash: `seed-plan-${i}`,
        workflowId: workflowId(i),
        name: 'seed',
        json: filler,
        createdAt: at,
      })),
    );
  }
}

interface Figures {
  totalMs: number[];
  dbMs: number[];
  commands: number[];
  byCommand: Map<string, { count: number; ms: number }>;
}

async function measure(url: string, runIds: string[], db: DbClock): Promise<Figures> {
  const figures: Figures = { totalMs: [], dbMs: [], commands: [], byCommand: new Map() };
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const mark = db.mark();
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ x: 1 }),
    });
    const body = (await res.json()) as { runId?: string };
    const totalMs = performance.now() - t0;
    if (res.status !== 202 || !body.runId) throw new Error(`Webhook answered ${res.status}: ${JSON.stringify(body)}`);
    runIds.push(body.runId);
    if (i < WARMUP) continue;
    const spent = db.since(mark);
    for (const [name, { count, ms }] of db.breakdown()) {
      const sum = figures.byCommand.get(name) ?? { count: 0, ms: 0 };
      figures.byCommand.set(name, { count: sum.count + count, ms: sum.ms + ms });
    }
    figures.totalMs.push(totalMs);
    figures.dbMs.push(spent.ms);
    figures.commands.push(spent.commands);
  }
  return figures;
}

/** Sums the duration of every Mongo command this process sends (the driver's command monitoring), per command. */
class DbClock {
  private ms = 0;
  private commands = 0;
  private readonly started = new Map<number, string>();
  private readonly byCommand = new Map<string, { count: number; ms: number }>();
  constructor(client: mongoose.mongo.MongoClient) {
    client.on('commandStarted', (e) => {
      const target = (e.command as Record<string, unknown>)[e.commandName];
      this.started.set(e.requestId, `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
    });
    client.on('commandSucceeded', (e) => this.add(e.requestId, e.duration));
    client.on('commandFailed', (e) => this.add(e.requestId, e.duration));
  }
  private add(requestId: number, ms: number) {
    this.ms += ms;
    this.commands++;
    const name = this.started.get(requestId) ?? 'unknown';
    this.started.delete(requestId);
    const entry = this.byCommand.get(name) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    this.byCommand.set(name, entry);
  }
  mark() {
    this.byCommand.clear();
    return { ms: this.ms, commands: this.commands };
  }
  since(mark: { ms: number; commands: number }) {
    return { ms: this.ms - mark.ms, commands: this.commands - mark.commands };
  }
  /** Time per command since the last `mark()`. */
  breakdown(): Array<[string, { count: number; ms: number }]> {
    return [...this.byCommand].sort((a, b) => b[1].ms - a[1].ms);
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function report(stored: number, f: Figures): void {
  console.log(
    `stored ${String(stored).padStart(6)}: DB ${mean(f.dbMs).toFixed(1)} ms/request (median ${median(f.dbMs).toFixed(1)}, ` +
      `${mean(f.commands).toFixed(1)} commands); request ${mean(f.totalMs).toFixed(1)} ms (median ${median(f.totalMs).toFixed(1)})`,
  );
  const requests = f.dbMs.length;
  for (const [name, { count, ms }] of [...f.byCommand].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`    ${name.padEnd(28)} ${(count / requests).toFixed(2)}×  ${(ms / requests).toFixed(1)} ms/request`);
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = '/baton_bench_webhook';
  process.env.MONGODB_URI = uri.toString();
  process.env.BATON_QUEUE_PREFIX = `bench-webhook-${process.pid}-`;
  // No worker runs: every run stays queued, and the benchmark must not be refused for it.
  process.env.BATON_MAX_BACKLOG = String(10 * (WARMUP + REQUESTS));
  await mongoose.connect(uri.toString(), { monitorCommands: true });
  const db = mongoose.connection.db!;
  await db.dropDatabase(); // the benchmark's own database
  const clock = new DbClock(mongoose.connection.getClient());

  const document = webhookDocument();
  const workflow = await createWorkflow(TEST_SCOPE, { name: 'bench webhook', ownerId: 'bench', document });
  const check = checkForRun(document, { workflowId: workflow.id, name: workflow.name });
  if (!check.ok) throw new Error(`Benchmark document does not compile: ${JSON.stringify(check.diagnostics)}`);
  await savePlan(check.plan);
  await publishVersion(TEST_SCOPE, {
    workflowId: workflow.id,
    document,
    planHash: check.plan.hash,
    createdBy: 'bench',
  });

  const app = express();
  app.use(webhookRouter());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${workflow.id}/bench`;
  const runIds: string[] = [];
  try {
    console.log(
      `Webhook → ${SET_NODES} set nodes → code; ${REQUESTS} sequential requests after ${WARMUP} warm-up ones`,
    );
    report(0, await measure(url, runIds, clock));
    await db.collection('active_runs').deleteMany({}); // the queued runs of the first round, never to finish
    await seedOtherWorkflows(db, STORED);
    report(STORED, await measure(url, runIds, clock));
  } finally {
    server.close();
    for (const runId of runIds) await terminateRun(runId, 'benchmark finished').catch(() => undefined);
    await closeTemporalClient();
    await mongoose.disconnect();
    await stopServices();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
