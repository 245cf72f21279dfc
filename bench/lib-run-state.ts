// What benchmarks read back from the store of the Baton they drive: how many runs it holds, whether any is still
// going, which steps it recorded. Read straight from the collections db/runs.ts, db/active-runs.ts and db/steps.ts
// write, in a few bulk queries (their helpers read one run at a time).
import { setTimeout as sleep } from 'node:timers/promises';
import type mongoose from 'mongoose';

type Db = mongoose.mongo.Db;

export function storedRuns(db: Db): Promise<number> {
  return db.collection('runs').countDocuments();
}

/**
 * Waits until no run is queued or running (abandoned requests leave runs behind that would load the next
 * measurement). Returns how many were still active when it gave up, 0 when everything finished.
 */
export async function waitForIdle(db: Db, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const active = await db.collection('active_runs').countDocuments();
    if (active === 0 || Date.now() > deadline) return active;
    await sleep(1000);
  }
}

export interface StoredRun {
  runId: string;
  workflowId: string;
  status: string;
}

/** Runs of these workflows started at or after `since`: every request the web accepted in that time. */
export async function runsStartedSince(db: Db, workflowIds: string[], since: Date): Promise<StoredRun[]> {
  const docs = await db
    .collection('runs')
    .find(
      { workflowId: { $in: workflowIds }, startedAt: { $gte: since } },
      { projection: { workflowId: 1, status: 1 } },
    )
    .toArray();
  return docs.map((d) => ({ runId: String(d._id), workflowId: d.workflowId, status: d.status }));
}

export interface StoredStep {
  runId: string;
  nodeId: string;
  iteration: number;
  status: string;
}

/** The step records of these runs, live and archived, the newest write of each (as db/steps.ts reads them). */
export async function stepsOfRuns(db: Db, runIds: string[]): Promise<StoredStep[]> {
  const newest = new Map<string, StoredStep & { updatedAt: Date }>();
  const projection = { runId: 1, nodeId: 1, iteration: 1, status: 1, updatedAt: 1 };
  for (let i = 0; i < runIds.length; i += 1000) {
    const filter = { runId: { $in: runIds.slice(i, i + 1000) } };
    for (const collection of ['steps', 'steps_live']) {
      for (const d of await db.collection(collection).find(filter, { projection }).toArray()) {
        const seen = newest.get(String(d._id));
        if (!seen || seen.updatedAt <= d.updatedAt) {
          newest.set(String(d._id), {
            runId: d.runId,
            nodeId: d.nodeId,
            iteration: d.iteration,
            status: d.status,
            updatedAt: d.updatedAt,
          });
        }
      }
    }
  }
  return [...newest.values()].map(({ updatedAt: _updatedAt, ...step }) => step);
}
