// Per-step time of Baton's interpreter against a hand-written Temporal workflow, on one worker.
// Both chain STEPS light "set fields" steps: the baseline as one activity each; Baton as its plan says (a chain
// of pure nodes is one local activity, docs/decisions/027-pure-chains.md), and it records steps and live events.
//   npm run bench:engine            (BENCH_REPS=5 BENCH_STEPS=40 by default)
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connectDb } from '../db/connection';
import { compilePlan } from '../ir/compile';
import type { WorkflowDocument } from '../ir/types';
import { closeTemporalClient, getTemporalClient, startRun, waitForRun } from '../temporal/client';
import { taskQueueName } from '../temporal/queues';
import { bundleWorkflows, installQuietRuntime, runWorker } from '../temporal/worker';
import type { BaselineActivities } from './baseline-workflow';
import { benchDocument } from './documents';
import { ensureServices } from './services';

const STEPS = Number(process.env.BENCH_STEPS ?? 40);
const REPS = Number(process.env.BENCH_REPS ?? 5);

const setFields: BaselineActivities['setFields'] = async (input, fields) => ({ ...input, ...fields });

async function main(): Promise<void> {
  installQuietRuntime(); // the figures, not the SDK's state-change narration
  const stopServices = await ensureServices();
  const db = new URL(process.env.MONGODB_URI!);
  db.pathname = '/baton_bench';
  process.env.MONGODB_URI = db.toString();
  process.env.BATON_QUEUE_PREFIX = `bench-${process.pid}-`;
  const mongoose = await connectDb();
  await mongoose.connection.db!.dropDatabase(); // the benchmark's own database: start from empty collections

  const doc: WorkflowDocument = benchDocument(STEPS);
  const compiled = compilePlan(doc, { workflowId: 'bench', name: `bench ${STEPS} set steps` });
  if (!compiled.ok)
    throw new Error(`Benchmark document does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const plan = compiled.plan;

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const workflowBundle = await bundleWorkflows(fileURLToPath(new URL('./workflows.ts', import.meta.url)));
  const worker = runWorker({
    queues: ['default'],
    workflowBundle,
    extraActivities: { setFields },
    onReady: ready,
    until: done,
  });
  await Promise.race([isReady, worker]);

  const client = await getTemporalClient();
  const baton = async (rep: number) => {
    const runId = `bench-${process.pid}-${rep}-${Date.now()}`;
    const t0 = performance.now();
    await startRun({ runId, plan, trigger: {} });
    const result = await waitForRun(runId, 300_000);
    if (result.status !== 'succeeded') throw new Error(`Baton run ${runId} ${result.status}: ${result.error?.message}`);
    return performance.now() - t0;
  };
  const baseline = async (rep: number) => {
    const t0 = performance.now();
    await client.workflow.execute('baselineChain', {
      workflowId: `bench-baseline-${process.pid}-${rep}-${Date.now()}`,
      taskQueue: taskQueueName('default'),
      args: [STEPS],
    });
    return performance.now() - t0;
  };

  await baton(-1); // warm-up: runner imports, caches, connections
  await baseline(-1);
  const times = { baton: [] as number[], baseline: [] as number[] };
  for (let rep = 0; rep < REPS; rep++) {
    times.baseline.push(await baseline(rep));
    times.baton.push(await baton(rep));
  }
  finish();
  await worker;
  await closeTemporalClient();
  await stopServices();
  report(times);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function report(times: { baton: number[]; baseline: number[] }): void {
  const base = median(times.baseline);
  const baseBest = Math.min(...times.baseline);
  const rows = (['baseline', 'baton'] as const).map((name) => {
    const total = median(times[name]);
    const best = Math.min(...times[name]);
    return {
      variant: name === 'baton' ? 'Baton interpreter' : 'hand-written Temporal',
      runs: times[name].length,
      'median total ms': total.toFixed(0),
      'min..max ms': `${best.toFixed(0)}..${Math.max(...times[name]).toFixed(0)}`,
      'per step ms': (total / STEPS).toFixed(1),
      'per step min..max ms': `${(best / STEPS).toFixed(1)}..${(Math.max(...times[name]) / STEPS).toFixed(1)}`,
      'overhead/step (median) ms': ((total - base) / STEPS).toFixed(1),
      'overhead/step (best) ms': ((best - baseBest) / STEPS).toFixed(1),
    };
  });
  console.log(`\n${STEPS} sequential steps, ${REPS} repetitions each, one in-process worker`);
  console.table(rows);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
