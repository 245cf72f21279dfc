// The registry of runs not finished yet: one small document per queued or running run, removed when the run
// reaches a terminal status. The reconciler (temporal/reconciler.ts) reads only this collection, because FerretDB
// answers a range or a sort by scanning the whole collection (decisions 015, 031): scanning the active runs is
// cheap, scanning every run ever made is not.
import mongoose, { Schema } from 'mongoose';
import { upsertById } from './duplicate-key';

export type ActiveStatus = 'queued' | 'running';

export interface ActiveRun {
  runId: string;
  workflowId: string;
  status: ActiveStatus;
  /** When anything last confirmed the run alive: a status write, or the reconciler seeing it run in Temporal. */
  seenAt: Date;
}

interface ActiveRunDoc {
  _id: string; // the run id
  workflowId: string;
  status: ActiveStatus;
  seenAt: Date;
}

const ActiveRunModel =
  (mongoose.models.ActiveRun as mongoose.Model<ActiveRunDoc>) ??
  mongoose.model<ActiveRunDoc>(
    'ActiveRun',
    new Schema<ActiveRunDoc>(
      {
        _id: { type: String, required: true },
        workflowId: { type: String, required: true },
        status: { type: String, required: true },
        seenAt: { type: Date, required: true },
      },
      { collection: 'active_runs', versionKey: false },
    )
      .index({ seenAt: 1 })
      .index({ status: 1 }),
  );

/** Registers a run or refreshes it: `seenAt` becomes `at`, and the status moves only from queued to running. */
export async function trackRun(
  runId: string,
  workflowId: string,
  status: ActiveStatus,
  at = new Date(),
): Promise<void> {
  await upsertById(() =>
    ActiveRunModel.updateOne(
      { _id: runId },
      {
        $set: { seenAt: at, ...(status === 'running' ? { status } : {}) },
        $setOnInsert: { workflowId, ...(status === 'queued' ? { status } : {}) },
      },
      { upsert: true },
    ),
  );
}

/** Registers a run only if it is not registered yet, as quiet since forever, so the reconciler looks soon. */
export async function registerIfMissing(runId: string, workflowId: string, status: ActiveStatus): Promise<void> {
  await upsertById(() =>
    ActiveRunModel.updateOne(
      { _id: runId },
      { $setOnInsert: { workflowId, status, seenAt: new Date(0) } },
      { upsert: true },
    ),
  );
}

/** The reconciler saw the run alive: look again only once it has been quiet for the threshold once more. */
export async function markSeen(runId: string, at = new Date()): Promise<void> {
  await ActiveRunModel.updateOne({ _id: runId }, { $set: { seenAt: at } });
}

export async function untrackRun(runId: string): Promise<void> {
  await ActiveRunModel.deleteOne({ _id: runId });
}

/** Active runs not heard of since `quietSince`, longest silent first. */
export async function quietActiveRuns(quietSince: Date, limit: number): Promise<ActiveRun[]> {
  const docs = await ActiveRunModel.find({ seenAt: { $lt: quietSince } })
    .sort({ seenAt: 1 })
    .limit(limit)
    .lean();
  return docs.map(toActiveRun);
}

/** How many runs wait for a worker (admission control): a count by the status index, whatever the registry holds. */
export async function countQueuedRuns(): Promise<number> {
  return ActiveRunModel.countDocuments({ status: 'queued' });
}

/** The active runs of one workflow (the registry is small, so the filter costs a short scan). */
export async function activeRunsOf(workflowId: string): Promise<ActiveRun[]> {
  return (await ActiveRunModel.find({ workflowId }).lean()).map(toActiveRun);
}

export async function getActiveRun(runId: string): Promise<ActiveRun | undefined> {
  const doc = await ActiveRunModel.findOne({ _id: runId }).lean();
  return doc ? toActiveRun(doc) : undefined;
}

function toActiveRun(doc: ActiveRunDoc): ActiveRun {
  return { runId: doc._id, workflowId: doc.workflowId, status: doc.status, seenAt: doc.seenAt };
}
