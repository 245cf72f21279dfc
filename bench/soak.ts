// Sustained load on a whole Baton (`baton dev`): both peer workflows driven together for minutes, watched by a
// live-events subscriber, then checked: throughput per 20 s window, errors, lost live events, workflow-task
// timeouts, and whether every accepted run finished.
//   npm run bench:soak
// Knobs: BENCH_DURATION (s, 300), BENCH_CONCURRENCY (connections in all, split evenly over the workflows, 16),
//   BENCH_WORKFLOWS (bench5,bench20), BENCH_DRAIN (s to wait for runs still going when the load stops, 300).
import { Connection, Client } from '@temporalio/client';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDb, disconnectDb } from '../db/connection';
import { startBatonDev, type BatonDev } from './lib-baton-dev';
import { BatonApi, BENCH_SIZES, benchWorkflowNames, verifyAnswer, type BenchWorkflow } from './lib-bench-workflows';
import { LiveEventCounter } from './lib-live-events';
import { loadAverage, machineSummary, markdownTable } from './lib-report';
import { runsStartedSince, stepsOfRuns, waitForIdle, type StoredRun } from './lib-run-state';
import { envList, envNumber } from './lib-settings';
import { chooseLoadTool, runLoad, type LoadResult, type LoadTool } from './load/run-load';

const settings = {
  durationS: envNumber('BENCH_DURATION', 300),
  connections: envNumber('BENCH_CONCURRENCY', 16),
  workflows: benchWorkflowNames(envList('BENCH_WORKFLOWS', 'bench5,bench20')),
  drainS: envNumber('BENCH_DRAIN', 300),
};
const WINDOW_S = 20;
const TIMEOUT_S = 10;
/** Events still on their way from the store to the socket when the last run ended get this long to arrive. */
const RELAY_GRACE_MS = 15_000;

// Lines counted in the worker and web logs: workflow tasks that ran long (TMPRL1104 warns after 5 s) or timed out,
// and the store errors seen under load before.
const LOG_PATTERNS: Record<string, RegExp> = {
  'workflow task over 5 s (TMPRL1104)': /Workflow task duration exceeded|TMPRL1104/,
  WorkflowTaskTimedOut: /WorkflowTaskTimedOut|WORKFLOW_TASK_TIMED_OUT/,
  'E11000 duplicate key': /E11000/,
  'SQLITE_BUSY (FerretDB)': /SQLITE_BUSY/,
};

const log = (line: string) => console.log(`[soak] ${line}`);

async function main(): Promise<void> {
  log(machineSummary());
  log(`settings: ${JSON.stringify(settings)}`);
  const tool = chooseLoadTool(log);
  const baton = await startBatonDev(log);
  try {
    await soak(baton, tool);
  } finally {
    await disconnectDb();
    await baton.stop();
  }
}

async function soak(baton: BatonDev, tool: LoadTool): Promise<void> {
  const api = await BatonApi.setUp(baton.url);
  const workflows: BenchWorkflow[] = [];
  for (const name of settings.workflows) workflows.push(await api.createPublished(name, 'standard', BENCH_SIZES[name]));
  for (const workflow of workflows) await verifyAnswer(workflow);
  const workflowIds = workflows.map((w) => w.id);
  const db = (await connectDb(baton.mongoUri)).connection.db!;
  await waitForIdle(db, 60_000);
  const live = await LiveEventCounter.subscribe(baton.url, api.token, workflowIds);
  const logsBefore = countLogLines(baton.logsDir);

  const since = new Date();
  const loads = await drive(tool, workflows);
  log(`Load done; waiting up to ${settings.drainS} s for the runs still going…`);
  const drainStarted = Date.now();
  const stillActive = await waitForIdle(db, settings.drainS * 1000);
  const drainS = (Date.now() - drainStarted) / 1000;
  await sleep(RELAY_GRACE_MS);

  const runs = await runsStartedSince(db, workflowIds, since);
  const steps = await stepsOfRuns(
    db,
    runs.map((r) => r.runId),
  );
  const lost = steps.filter((step) => !live.received(step, step.status));
  live.close();
  const logs = countLogLines(baton.logsDir);
  const timedOutTasks = await workflowTaskTimeouts(baton.temporalAddress, runs);

  printWindows(loads, workflows);
  const total = (pick: (l: LoadResult) => number) => String(loads.reduce((sum, l) => sum + pick(l), 0));
  const unfinished = runs.filter((r) => r.status === 'queued' || r.status === 'running').length;
  const byStatus = Object.entries(countBy(runs, (r) => r.status)).map(([status, n]) => `${status} ${n}`);
  const rows = [
    ['responses', total((l) => l.requests)],
    ['non-2xx responses', total((l) => l.non2xx)],
    ['socket errors', total((l) => l.socketErrors)],
    [`answers slower than ${TIMEOUT_S} s (timeouts)`, total((l) => l.timeouts)],
    ['runs accepted (stored since the load began)', String(runs.length)],
    ['runs by status', byStatus.join(', ') || 'none'],
    ['runs unfinished', `${unfinished} (drain took ${drainS.toFixed(0)} s; registry still lists ${stillActive})`],
    ['step records stored', String(steps.length)],
    ['step events received', `${live.stepEvents} (and ${live.runEvents} run events)`],
    ['lost events (step records whose final status never arrived live)', String(lost.length)],
    ['live socket reconnects', String(live.reconnects)],
    ['WorkflowTaskTimedOut in the accepted runs’ histories', timedOutTasks],
    ...Object.keys(LOG_PATTERNS).map((name) => [`${name}, log lines`, String(logs[name] - logsBefore[name])]),
  ];
  console.log(`\nAt the end (store ${baton.store})\n${markdownTable(['figure', 'value'], rows)}`);
  if (lost.length > 0) {
    const sample = lost.slice(0, 5).map((s) => `${s.runId} ${s.nodeId} (${s.status})`);
    console.log(`First lost events: ${sample.join('; ')}`);
  }
  console.log(`Load average at the end: ${loadAverage()}`);
}

/** Every workflow at once, the connections split evenly between them. */
function drive(tool: LoadTool, workflows: BenchWorkflow[]): Promise<LoadResult[]> {
  const connections = Math.max(1, Math.round(settings.connections / workflows.length));
  const names = workflows.map((w) => w.name).join(' and ');
  log(`Driving ${names} with ${connections} connections each for ${settings.durationS} s…`);
  const options = {
    body: '{"x":1}',
    connections,
    durationS: settings.durationS,
    timeoutS: TIMEOUT_S,
    windowS: WINDOW_S,
  };
  return Promise.all(workflows.map((w) => runLoad(tool, { ...options, url: w.hookUrl })));
}

function printWindows(loads: LoadResult[], workflows: BenchWorkflow[]): void {
  const windows = Math.floor(settings.durationS / WINDOW_S);
  const rows: string[][] = [];
  let first = 0;
  for (let w = 0; w < windows; w++) {
    const counts = loads.map((l) => l.windows[w] ?? 0);
    const sum = counts.reduce((a, b) => a + b, 0);
    if (w === 0) first = sum;
    const ratio = first > 0 ? `${((100 * sum) / first).toFixed(0)}%` : 'n/a';
    rows.push([`${w * WINDOW_S}–${(w + 1) * WINDOW_S} s`, ...counts.map(String), String(sum), ratio]);
  }
  console.log(`\nCompleted requests per ${WINDOW_S} s window (load from ${loads[0]?.tool})`);
  console.log(markdownTable(['window', ...workflows.map((w) => w.name), 'all', 'vs first'], rows));
}

/** Lines matching each pattern in every log of the worker (a restarted worker appends to the same file). */
function countLogLines(logsDir: string): Record<string, number> {
  const counts = Object.fromEntries(Object.keys(LOG_PATTERNS).map((name) => [name, 0]));
  for (const file of readdirSync(logsDir).filter((f) => f.startsWith('worker') || f === 'web.log')) {
    for (const line of readFileSync(path.join(logsDir, file), 'utf8').split('\n')) {
      for (const [name, pattern] of Object.entries(LOG_PATTERNS)) if (pattern.test(line)) counts[name]++;
    }
  }
  return counts;
}

/** Workflow-task timeouts recorded in the runs' Temporal histories (a run's workflow id is its run id). */
async function workflowTaskTimeouts(address: string, runs: StoredRun[]): Promise<string> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let timeouts = 0;
  let unreadable = 0;
  const queue = [...runs];
  const reader = async () => {
    for (let run = queue.pop(); run; run = queue.pop()) {
      try {
        const history = await client.workflow.getHandle(run.runId).fetchHistory();
        timeouts += (history.events ?? []).filter((e) => e.workflowTaskTimedOutEventAttributes).length;
      } catch {
        unreadable++;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, reader));
  await connection.close();
  return unreadable ? `${timeouts} (${unreadable} histories unreadable)` : String(timeouts);
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
