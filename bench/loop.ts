// Long loops: a Loop over items of 10,000 items with 10 iterations at once, then one of 100,000 items (which must
// continue as new), each with a Set fields node as its body. Prints the time, iterations per second and the worker's
// resident memory (idle before the loop, its peak in each execution of the loop's workflow, and at the end),
// measured from /proc for the worker process alone.
//   npm run bench:loop      (BENCH_ITEMS=10000 BENCH_CONCURRENCY=10 BENCH_LONG_ITEMS=100000; 0 skips the long one)
import { readFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import { compilePlan } from '../ir/compile';
import type { WorkflowDocument } from '../ir/types';
import { closeTemporalClient, getTemporalClient, startRun, waitForRun } from '../temporal/client';
import { startWorker, testDatabaseUri } from '../test/stack';
import { machineSummary, markdownTable } from './lib-report';
import { envNumber } from './lib-settings';
import { ensureServices } from './services';

const ITEMS = envNumber('BENCH_ITEMS', 10_000);
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 10);
const LONG_ITEMS = envNumber('BENCH_LONG_ITEMS', 100_000);

const log = (line: string) => console.log(`[bench] ${line}`);

/** Start → Code (makes the items, stored as a blob when large) → Loop (Set fields in its body) → Count (Set fields). */
function loopDocument(items: number, concurrency: number): WorkflowDocument {
  const node = (id: string, type: string, params: Record<string, unknown>, x: number) => ({
    id,
    type,
    version: 1,
    name: id,
    position: { x, y: 0 },
    params,
  });
  const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
    id: `${source}-${sourcePort}-${target}-${targetPort}`,
    source,
    sourcePort,
    target,
    targetPort,
  });
  return {
    nodes: [
      node('Start', 'manual-trigger', {}, 0),
      node('Items', 'code', { code: `return Array.from({ length: ${items} }, (_, i) => ({ n: i }));` }, 200),
      node('Each', 'loop-over-items', { concurrency }, 400),
      node('Double', 'set-fields', { fields: { doubled: '{{ $input.n * 2 }}' } }, 600),
      // A Set node, not Code: a Code node at the end would start a fresh sandbox thread (the warm one has expired),
      // and its memory is not the loop's.
      node(
        'Count',
        'set-fields',
        { fields: { count: '{{ $count($input) }}', last: '{{ $input[-1] }}' }, keepInput: false },
        800,
      ),
    ],
    edges: [
      edge('Start', 'out', 'Items', 'in'),
      edge('Items', 'out', 'Each', 'in'),
      edge('Each', 'body', 'Double', 'in'),
      edge('Double', 'out', 'Each', 'loopEnd'),
      edge('Each', 'done', 'Count', 'in'),
    ],
    settings: {},
  };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface Row {
  items: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  idleMb: number;
  /** The worker's peak RSS while each execution of the loop's workflow ran (1 + its continue-as-new count). */
  peaksMb: number[];
  endMb: number;
}

/** How many executions the loop's child workflow has had so far: 1 + its continue-as-new count. */
async function loopExecutions(runId: string): Promise<number> {
  let executions = 0;
  const client = await getTemporalClient();
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${runId}--loop-Each'` })) executions++;
  return executions;
}

async function measure(items: number, concurrency: number, pid: number): Promise<Row> {
  const compiled = compilePlan(loopDocument(items, concurrency), { workflowId: `bench-loop-${items}`, name: 'loop' });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  const runId = `bench-loop-${items}-${Date.now()}`;
  const idleMb = rssMb(pid).rss;
  const peaksMb: number[] = [];
  let execution = 0;
  let sampled = 0;
  let counting = false;
  const sampler = setInterval(() => {
    const rss = rssMb(pid).rss;
    peaksMb[execution] = Math.max(peaksMb[execution] ?? 0, rss);
    // The visibility store lags a little: a sample may count toward the execution before.
    if (sampled++ % 10 !== 0 || counting) return;
    counting = true;
    loopExecutions(runId)
      .then((n) => (execution = Math.max(execution, n - 1)))
      .catch(() => undefined)
      .finally(() => (counting = false));
  }, 500);
  const began = performance.now();
  await startRun({ runId, plan: compiled.plan, trigger: {} });
  const result = await waitForRun(runId, 3 * 3600_000);
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  const output = result.output as { Count?: { count: number } };
  if (result.status !== 'succeeded' || output.Count?.count !== items)
    throw new Error(`The loop of ${items} items ended ${result.status}: ${JSON.stringify(result.error ?? output)}`);
  const executions = await loopExecutions(runId);
  const end = rssMb(pid);
  return {
    items,
    concurrency,
    seconds,
    perSecond: items / seconds,
    idleMb,
    peaksMb: Array.from({ length: executions }, (_, i) => peaksMb[i] ?? 0),
    endMb: end.rss,
  };
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const dbUri = testDatabaseUri('baton_bench_loop', process.env.MONGODB_URI);
  await connectDb(dbUri);
  await mongoose.connection.db!.dropDatabase();
  const queuePrefix = `bench-loop-${process.pid}-`;
  process.env.BATON_QUEUE_PREFIX = queuePrefix;
  const worker = await startWorker({ queuePrefix, env: { MONGODB_URI: dbUri } });
  try {
    log(`${machineSummary()}; worker pid ${worker.pid}, ${rssMb(worker.pid).rss.toFixed(0)} MB resident`);
    const rows: Row[] = [];
    for (const [items, concurrency] of [
      [ITEMS, CONCURRENCY],
      [LONG_ITEMS, CONCURRENCY],
    ]) {
      if (items <= 0) continue;
      log(`loop over ${items.toLocaleString('en-US')} items, ${concurrency} at once…`);
      const row = await measure(items, concurrency, worker.pid);
      log(
        `  ${row.seconds.toFixed(1)} s, ${row.perSecond.toFixed(0)} iterations/s, worker RSS ${row.idleMb.toFixed(0)} MB idle, peak ${Math.max(...row.peaksMb).toFixed(0)} MB, ${row.peaksMb.length - 1} continue-as-new`,
      );
      rows.push(row);
    }
    console.log(
      '\n' +
        markdownTable(
          [
            'items',
            'at once',
            'time s',
            'iterations/s',
            'worker RSS idle MB',
            'peak MB per execution',
            'at end MB',
            'continue-as-new',
          ],
          rows.map((r) => [
            r.items.toLocaleString('en-US'),
            String(r.concurrency),
            r.seconds.toFixed(1),
            r.perSecond.toFixed(0),
            r.idleMb.toFixed(0),
            r.peaksMb.map((p) => p.toFixed(0)).join(', '),
            r.endMb.toFixed(0),
            String(r.peaksMb.length - 1),
          ]),
        ),
    );
  } finally {
    worker.kill('SIGTERM');
    await worker.stopped;
    await closeTemporalClient();
    await disconnectDb();
    await stopServices();
  }
}

await main();
