// Approval latency: from a decision (temporal/approvals.ts `submitDecision` resolving, as the inbox, a link or the
// API would call it) to the next node starting, here an HTTP node whose request a loopback sink timestamps on the
// same clock; and from a passing deadline (policy "timed-out") to the step on the `timeout` output starting, both
// instants as the run records them. One run per decision or deadline, one at a time, on a worker process of its own.
//   npm run bench:approval      (BENCH_DECISIONS=50, BENCH_DEADLINES=20)
import mongoose from 'mongoose';
import { getApprovalUnscoped } from '../db/approvals';
import { connectDb, disconnectDb } from '../db/connection';
import { listSteps } from '../db/steps';
import { closeTemporalClient, waitForRun } from '../temporal/client';
import { submitDecision } from '../temporal/approvals';
import { createApprovalWorld, waitFor, type ApprovalWorld } from '../test/approval-world';
import { workflowDoc } from '../test/run-harness';
import { startSink } from '../test/sink';
import { startWorker, testDatabaseUri } from '../test/stack';
import { approvalIdOf } from '../workflows/approvals';
import { machineSummary, markdownTable } from './lib-report';
import { measureRunsPage } from './lib-runs-page';
import { envNumber } from './lib-settings';
import { ensureServices } from './services';

const DECISIONS = envNumber('BENCH_DECISIONS', 50);
const DEADLINES = envNumber('BENCH_DEADLINES', 20);
/** Short enough to run N of them one after another, long enough that the request is open before it passes. */
const DEADLINE_SECONDS = 2;

const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Latencies {
  /** submitDecision called → resolved (the run accepted and stored the decision). */
  accepted: number[];
  /** submitDecision resolved → the next node's request arrived. */
  nextNode: number[];
}

async function measureDecisions(world: ApprovalWorld): Promise<Latencies> {
  const sink = await startSink();
  const arrived = new Map<string, number>();
  sink.handle((req, res) => {
    arrived.set(req.idempotencyKey ?? '', performance.now());
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  const doc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: 'Review', type: 'approval', params: { users: [{ user: world.users.ana.email }] } },
      { id: 'Next', type: 'http-request', params: { method: 'POST', url: `${sink.url}/next`, bodyType: 'json' } },
    ],
    [
      ['Start', 'Review'],
      ['Review:approved', 'Next'],
    ],
  );
  const latencies: Latencies = { accepted: [], nextNode: [] };
  try {
    for (let i = 0; i < DECISIONS; i++) {
      const runId = await world.startRun(doc);
      const request = await world.approval(runId, 'Review');
      const called = performance.now();
      await submitDecision(request, { id: world.users.ana.id }, { decision: 'approve' }, { via: 'api' });
      const resolved = performance.now();
      const key = `${runId}:Next:0`;
      const nextAt = await waitFor(`the next node of ${runId}`, async () => arrived.get(key));
      const result = await waitForRun(runId, 60_000);
      if (result.status !== 'succeeded') throw new Error(`Run ${runId} ended ${result.status}`);
      latencies.accepted.push(resolved - called);
      latencies.nextNode.push(nextAt - resolved);
    }
  } finally {
    await sink.close();
  }
  return latencies;
}

/** Per run: the request's deadline (as the run set it) → the step of the node on its `timeout` output starting. */
async function measureDeadlines(world: ApprovalWorld): Promise<number[]> {
  const doc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      {
        id: 'Review',
        type: 'approval',
        params: {
          users: [{ user: world.users.ana.email }],
          deadline: 'duration',
          deadlineAmount: DEADLINE_SECONDS,
          deadlineUnit: 'seconds',
          onDeadline: 'timed-out',
        },
      },
      { id: 'TimedOut', type: 'set-fields', params: { fields: { went: 'timeout' } } },
    ],
    [
      ['Start', 'Review'],
      ['Review:timeout', 'TimedOut'],
    ],
  );
  const lateness: number[] = [];
  for (let i = 0; i < DEADLINES; i++) {
    const runId = await world.startRun(doc);
    const result = await waitForRun(runId, 60_000);
    if (result.status !== 'succeeded') throw new Error(`Run ${runId} ended ${result.status}`);
    const request = await getApprovalUnscoped(approvalIdOf(runId, 'Review', 0));
    const deadlineAt = request?.levels[0]?.deadlineAt;
    if (request?.status !== 'timed-out' || !deadlineAt)
      throw new Error(`Run ${runId}: its request is ${request?.status ?? 'missing'}, not timed out by its deadline`);
    const next = (await listSteps(runId)).find((s) => s.nodeId === 'TimedOut' && s.startedAt);
    if (!next?.startedAt) throw new Error(`Run ${runId} recorded no start of TimedOut after the deadline`);
    lateness.push(next.startedAt.getTime() - Date.parse(deadlineAt));
  }
  return lateness;
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const dbUri = testDatabaseUri('baton_bench_approval', process.env.MONGODB_URI);
  await connectDb(dbUri);
  await mongoose.connection.db!.dropDatabase();
  const queuePrefix = `bench-approval-${process.pid}-`;
  process.env.BATON_QUEUE_PREFIX = queuePrefix;
  // The next node calls a loopback sink, which the HTTP node's destination guard refuses unless allowed.
  const worker = await startWorker({
    queuePrefix,
    env: { MONGODB_URI: dbUri, BATON_HTTP_ALLOW_HOSTS: '127.0.0.1,::1,localhost' },
  });
  try {
    log(
      `${machineSummary()}; ${DECISIONS} decisions and ${DEADLINES} deadlines of ${DEADLINE_SECONDS} s, one run each`,
    );
    const world = await createApprovalWorld();
    const { accepted, nextNode } = await measureDecisions(world);
    const deadlines = await measureDeadlines(world);
    const row = (what: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return [what, percentile(sorted, 50).toFixed(1), percentile(sorted, 95).toFixed(1), sorted.at(-1)!.toFixed(1)];
    };
    console.log(
      '\n' +
        markdownTable(
          ['latency', 'p50 ms', 'p95 ms', 'max ms'],
          [
            row('decision accepted (submitDecision)', accepted),
            row('decision → next node starts', nextNode),
            row('deadline passes → next node starts (step records)', deadlines),
          ],
        ),
    );
    // The aim is that a deadline fires within 1 s; reported, not asserted (a benchmark).
    log(`deadlines followed by the next node within 1 s: ${deadlines.filter((ms) => ms <= 1000).length}/${DEADLINES}`);
    // The runs page's query time at 10k and 100k stored runs (bench/lib-runs-page.ts).
    await measureRunsPage(log);
  } finally {
    worker.kill('SIGTERM');
    await worker.stopped;
    await closeTemporalClient();
    await disconnectDb();
    await stopServices();
  }
}

await main();
