// Step records: one document per node execution (run, node, iteration), upserted so retries update it.
import mongoose, { Schema } from 'mongoose';
import type { StepStatus } from '../../workflows/messages';

export interface StepError {
  message: string;
  code?: string;
}

/** A write to a step record. `input`/`output` are serialized JSON (see activities/blob-store `encodeValue`). */
export interface StepWrite {
  runId: string;
  nodeId: string;
  nodeName: string;
  type: string;
  iteration: number;
  status: StepStatus;
  attempt: number;
  input?: string;
  output?: string;
  outputSize?: number;
  error?: StepError;
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
}

export interface StepDoc extends StepWrite {
  updatedAt: Date;
}

export interface StepView {
  nodeId: string;
  nodeName: string;
  type: string;
  iteration: number;
  status: StepStatus;
  attempt: number;
  input: unknown;
  /** Outputs over the blob threshold appear as `{ $batonBlob: id, bytes }` (activities/blob-store). */
  output: unknown;
  outputSize?: number;
  error?: StepError;
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
}

const StepModel =
  (mongoose.models.Step as mongoose.Model<StepDoc>) ??
  mongoose.model<StepDoc>(
    'Step',
    new Schema<StepDoc>(
      {
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
      { collection: 'steps' },
    )
      .index({ runId: 1, nodeId: 1, iteration: 1 }, { unique: true })
      .index({ runId: 1, nodeName: 1 }),
  );

/**
 * Upserts the record of one node execution. A write from an older attempt than the stored one is
 * dropped, so a timed-out attempt that finishes late cannot overwrite its retry. With `onlyIfStatus`
 * the write also applies only over those statuses (or when no record exists yet). Returns whether it applied.
 */
export async function recordStep(step: StepWrite, opts: { onlyIfStatus?: StepStatus[] } = {}): Promise<boolean> {
  const key = { runId: step.runId, nodeId: step.nodeId, iteration: step.iteration };
  const filter = {
    ...key,
    attempt: { $lte: step.attempt },
    ...(opts.onlyIfStatus ? { status: { $in: opts.onlyIfStatus } } : {}),
  };
  const set = Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined));
  // A new attempt starts clean: the previous attempt's error and timings no longer describe the step.
  const unset = step.status === 'running' ? { error: 1, output: 1, outputSize: 1, endedAt: 1, durationMs: 1 } : {};
  const update = { $set: { ...set, updatedAt: new Date() }, ...(step.status === 'running' ? { $unset: unset } : {}) };
  try {
    await StepModel.updateOne(filter, update, { upsert: true });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    // Either the stored record wins (stale write: dropped) or a concurrent insert won the race.
    const retried = await StepModel.updateOne(filter, update);
    return retried.matchedCount > 0;
  }
}

export async function findStep(runId: string, nodeId: string, iteration = 0): Promise<StepDoc | undefined> {
  return (await StepModel.findOne({ runId, nodeId, iteration }).lean()) ?? undefined;
}

/**
 * The latest finished execution of the node called `nodeName` that has an output, for `$node("Name")`:
 * succeeded, or failed with continue-on-fail (its error object is the output).
 */
export async function findStepByName(runId: string, nodeName: string): Promise<StepDoc | undefined> {
  const docs = await StepModel.find({
    runId,
    nodeName,
    status: { $in: ['succeeded', 'failed'] },
    output: { $exists: true },
  })
    .sort({ iteration: -1 })
    .limit(1)
    .lean();
  return docs[0];
}

export async function listSteps(runId: string): Promise<StepView[]> {
  const docs = await StepModel.find({ runId }).lean();
  return docs.sort(byStart).map(toView);
}

function byStart(a: StepDoc, b: StepDoc): number {
  const ta = (a.startedAt ?? a.updatedAt).getTime();
  const tb = (b.startedAt ?? b.updatedAt).getTime();
  return ta - tb || a.iteration - b.iteration;
}

function toView(doc: StepDoc): StepView {
  return {
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
