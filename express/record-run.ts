// An express run is stored once, when it has ended: its steps, its run record and one live `run` event. Runs
// that end while the previous write is out are stored together (group commit): one bulk insert of all their
// steps (one bundle document per run, docs/decisions/035-express-step-bundles.md), then one of their run records;
// their events follow without being waited for. Under load a write costs the store
// about the same for one run as for dozens, so the batch grows with the load and the cost per run falls; with
// no load, a run is written alone, at once. Steps go first, so whoever sees a finished run can read its steps.
import type { RunError } from '../contracts/run-status';
import type { StepRecord } from '../contracts/step-record';
import { appendEvent } from '../db/events';
import { recordFinishedRuns } from '../db/runs';
import { recordStepBundles } from '../db/steps';
import type { ExpressRunInput } from './run-express';

export interface FinishedExpressRun {
  runId: string;
  input: ExpressRunInput;
  status: 'succeeded' | 'failed';
  startedAt: Date;
  steps: StepRecord[];
  /** The run's output as stored (JSON, large values as blob references); absent when it failed. */
  outputJson?: string;
  error?: RunError;
  /** Tags its nodes set ("Tag run"). */
  tags?: Record<string, string>;
}

interface Waiting {
  run: FinishedExpressRun;
  endedAt: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

// Bounds one write: a run holds at most a few hundred KB of step records (larger values are blobs).
const MAX_BATCH_RUNS = 128;

const waiting: Waiting[] = [];
let writing = false;

/** Resolves once the run is stored; rejects when the store refused it (the run is then lost). */
export function recordExpressRun(run: FinishedExpressRun): Promise<void> {
  return new Promise((resolve, reject) => {
    waiting.push({ run, endedAt: new Date(), resolve, reject });
    if (!writing) void writeWaiting();
  });
}

async function writeWaiting(): Promise<void> {
  writing = true;
  try {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_BATCH_RUNS);
      try {
        await store(batch);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    writing = false;
  }
}

async function store(batch: Waiting[]): Promise<void> {
  await recordStepBundles(batch.map((w) => ({ runId: w.run.runId, steps: w.run.steps })));
  await recordFinishedRuns(
    batch.map(({ run, endedAt }) => ({
      runId: run.runId,
      workspaceId: run.input.workspaceId,
      workflowId: run.input.workflowId,
      workflowVersion: run.input.workflowVersion,
      planHash: run.input.plan.hash,
      mode: run.input.mode,
      trigger: JSON.stringify(run.input.trigger ?? null),
      status: run.status,
      ...(run.outputJson === undefined ? {} : { output: run.outputJson }),
      ...(run.error ? { error: run.error } : {}),
      ...(run.tags && Object.keys(run.tags).length > 0 ? { tags: run.tags } : {}),
      startedAt: run.startedAt,
      endedAt,
    })),
  );
  // Live events are best effort: the runs are stored, and browsers that missed an event read the records. They go
  // out without being waited for, so the next batch's writes need not wait for them either; the event writer
  // groups them on its own. Only the web processes' inboxes get them (runs lists refresh): an express run has no
  // live progress for a run page to catch up on from the log.
  for (const { run, endedAt } of batch)
    appendEvent(
      {
        kind: 'run',
        runId: run.runId,
        workflowId: run.input.workflowId,
        status: run.status,
        at: endedAt.toISOString(),
        ...(run.error ? { error: run.error } : {}),
      },
      { log: false },
    ).catch((err: unknown) =>
      console.warn(`Live event for express run ${run.runId} was not stored: ${(err as Error).message}`),
    );
}
