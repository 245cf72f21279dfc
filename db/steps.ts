// Step records: one document per node execution (run, node, iteration), upserted so retries update it.
//
// Records live in two collections. Runs in progress read and write `steps_live`, which only holds steps
// touched in the last minutes; `archiveIdleSteps` moves the rest to `steps`, which history views read.
// Why: FerretDB's SQLite backend scans a whole collection for every query (only an equality on a string
// `_id` is even evaluated inside SQLite), so the per-node hot path must touch a small collection, by `_id`.
import mongoose, { Schema } from 'mongoose';
import type { StepStatus } from '../contracts/run-status';
import type { StepError, StepOf, StepRecord } from '../contracts/step-record';

/** A write to a step record: the stored view of the one step shape. */
export type StepWrite = StepRecord;

export interface StepDoc extends StepRecord {
  _id: string; // stepKey(runId, nodeId, iteration)
  updatedAt: Date;
}

/** A step with its values parsed; values over the blob threshold still appear as blob references. */
export type StepView = StepOf<unknown, Date>;

function stepSchema() {
  return new Schema<StepDoc>(
    {
      _id: { type: String, required: true },
      runId: { type: String, required: true },
      nodeId: { type: String, required: true },
      nodeName: { type: String, required: true },
      type: { type: String, required: true },
      iteration: { type: Number, required: true },
      status: { type: String, required: true },
      attempt: { type: Number, required: true },
      input: String,
      output: String,
      outputSize: Number,
      error: new Schema<StepError>({ message: String, code: String }, { _id: false }),
      startedAt: Date,
      endedAt: Date,
      durationMs: Number,
      updatedAt: { type: Date, required: true },
    },
    { versionKey: false },
  )
    .index({ runId: 1 })
    .index({ updatedAt: 1 });
}

const LiveStepModel =
  (mongoose.models.LiveStep as mongoose.Model<StepDoc>) ??
  mongoose.model<StepDoc>('LiveStep', stepSchema().set('collection', 'steps_live'));
const StepModel =
  (mongoose.models.Step as mongoose.Model<StepDoc>) ??
  mongoose.model<StepDoc>('Step', stepSchema().set('collection', 'steps'));

/** Unambiguous whatever the ids contain. */
export function stepKey(runId: string, nodeId: string, iteration: number): string {
  return JSON.stringify([runId, nodeId, iteration]);
}

/**
 * Upserts the record of one node execution. A write from an older attempt than the stored one is
 * dropped, so a timed-out attempt that finishes late cannot overwrite its retry. With `onlyIfStatus`
 * the write also applies only over those statuses (or when no record exists yet). Returns whether it
 * applied. Read-then-write rather than a conditional update, because only a bare `_id` filter is cheap
 * on FerretDB; the two writers it could race (a late stale attempt and its retry) are seconds apart.
 */
export async function recordStep(step: StepWrite, opts: { onlyIfStatus?: StepStatus[] } = {}): Promise<boolean> {
  const _id = stepKey(step.runId, step.nodeId, step.iteration);
  const current = await LiveStepModel.findOne({ _id }, { attempt: 1, status: 1 }).lean();
  if (current && current.attempt > step.attempt) return false;
  if (current && opts.onlyIfStatus && !opts.onlyIfStatus.includes(current.status)) return false;
  const set = Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined));
  // A new attempt starts clean: the previous attempt's error and timings no longer describe the step.
  const stale =
    step.status === 'running'
      ? ['error', 'output', 'outputSize', 'endedAt', 'durationMs'].filter((k) => !(k in set))
      : [];
  const unset = stale.length > 0 ? { $unset: Object.fromEntries(stale.map((k) => [k, 1])) } : {};
  await LiveStepModel.updateOne({ _id }, { $set: { ...set, updatedAt: new Date() }, ...unset }, { upsert: true });
  return true;
}

/**
 * Writes finished steps of one execution unit (a fused chain of pure nodes) in one round trip. Each is the
 * whole record of a node's single attempt, so it replaces whatever a retry of the same unit wrote before.
 */
export async function recordFinishedSteps(steps: StepWrite[]): Promise<void> {
  if (steps.length === 0) return;
  const updatedAt = new Date();
  await LiveStepModel.bulkWrite(
    steps.map((step) => ({
      replaceOne: {
        filter: { _id: stepKey(step.runId, step.nodeId, step.iteration) },
        replacement: {
          _id: stepKey(step.runId, step.nodeId, step.iteration),
          ...Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)),
          updatedAt,
        } as StepDoc,
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** A step of a run in progress; archived steps are read only when the live record is gone. */
export async function findStep(runId: string, nodeId: string, iteration = 0): Promise<StepDoc | undefined> {
  const _id = stepKey(runId, nodeId, iteration);
  return (await LiveStepModel.findOne({ _id }).lean()) ?? (await StepModel.findOne({ _id }).lean()) ?? undefined;
}

/** Only the live collection: for checks where "not there yet" is the common answer. */
export async function findLiveStep(runId: string, nodeId: string, iteration = 0): Promise<StepDoc | undefined> {
  return (await LiveStepModel.findOne({ _id: stepKey(runId, nodeId, iteration) }).lean()) ?? undefined;
}

export async function listSteps(runId: string): Promise<StepView[]> {
  return (await listStepRecords(runId)).map(toView);
}

/** The step records of a run, newest write of each, in start order; `input`/`output` still serialized. */
export async function listStepRecords(runId: string): Promise<StepDoc[]> {
  const [live, archived] = await Promise.all([LiveStepModel.find({ runId }).lean(), StepModel.find({ runId }).lean()]);
  const byId = new Map<string, StepDoc>();
  for (const doc of [...archived, ...live]) {
    const seen = byId.get(doc._id);
    if (!seen || seen.updatedAt <= doc.updatedAt) byId.set(doc._id, doc);
  }
  return [...byId.values()].sort(byStart);
}

/**
 * Moves step records untouched for `idleMs` to the archive. Safe to run from every worker at once: the
 * archive write merges by `_id`, and a live record written again meanwhile is left for the next pass.
 */
export async function archiveIdleSteps(idleMs = 10 * 60_000, batch = 500): Promise<number> {
  const docs = await LiveStepModel.find({ updatedAt: { $lt: new Date(Date.now() - idleMs) } })
    .limit(batch)
    .lean();
  for (const { _id, ...fields } of docs) {
    await StepModel.updateOne({ _id }, { $set: fields }, { upsert: true });
    await LiveStepModel.deleteOne({ _id, updatedAt: fields.updatedAt });
  }
  return docs.length;
}

function byStart(a: StepDoc, b: StepDoc): number {
  const ta = (a.startedAt ?? a.updatedAt).getTime();
  const tb = (b.startedAt ?? b.updatedAt).getTime();
  return ta - tb || a.iteration - b.iteration;
}

function toView(doc: StepDoc): StepView {
  return {
    runId: doc.runId,
    nodeId: doc.nodeId,
    nodeName: doc.nodeName,
    type: doc.type,
    iteration: doc.iteration,
    status: doc.status,
    attempt: doc.attempt,
    input: doc.input === undefined ? undefined : JSON.parse(doc.input),
    output: doc.output === undefined ? undefined : JSON.parse(doc.output),
    outputSize: doc.outputSize,
    error: doc.error?.message ? doc.error : undefined,
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
    durationMs: doc.durationMs,
  };
}

/**
 * Marks every step of the run still pending or running as failed with `error`: for a run that ended
 * without the interpreter closing its steps (terminated, timed out). The write goes to the live
 * collection, where it wins over an archived record of the same step. Returns the steps it closed.
 */
export async function closeOpenSteps(runId: string, error: StepError, at = new Date()): Promise<StepDoc[]> {
  const open = (await listStepRecords(runId)).filter((s) => s.status === 'running' || s.status === 'pending');
  const closed: StepDoc[] = [];
  for (const { _id, ...fields } of open) {
    const durationMs = fields.startedAt ? at.getTime() - fields.startedAt.getTime() : undefined;
    const step = { ...fields, status: 'failed' as const, error, endedAt: at, durationMs, updatedAt: new Date() };
    await LiveStepModel.updateOne({ _id }, { $set: step }, { upsert: true });
    closed.push({ _id, ...step });
  }
  return closed;
}

/** Retention: deletes the step records (live and archived) of these runs. */
export async function deleteStepsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const filter = { runId: { $in: runIds } };
  const [live, archived] = await Promise.all([LiveStepModel.deleteMany(filter), StepModel.deleteMany(filter)]);
  return live.deletedCount + archived.deletedCount;
}
