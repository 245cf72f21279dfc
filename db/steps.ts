// Step records: one document per node execution (run, node, iteration), upserted so retries update it.
//
// Records live in two collections. Runs in progress read and write `steps_live`, which only holds steps
// touched in the last minutes; `archiveIdleSteps` moves the rest to `steps`, which history views read.
// An express run, recorded once at its end, stores all its steps as one document in `step_bundles`
// (docs/decisions/035-express-step-bundles.md); the readers below merge them in.
// Why: on FerretDB only top-level equalities reach the backend's indexes (docs/decisions/031-flat-history.md),
// and its SQLite backend scans for anything but a string `_id`: the per-node hot path touches a small collection,
// by `_id`, and a step costs one write when it starts and one when it ends.
import mongoose, { Schema } from 'mongoose';
import { mapLimit } from '../contracts/map-limit';
import type { StepStatus } from '../contracts/run-status';
import type { StepError, StepOf, StepRecord } from '../contracts/step-record';
import { isDuplicateKey } from './duplicate-key';

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
      details: String,
      startedAt: Date,
      endedAt: Date,
      durationMs: Number,
      reusedFrom: String,
      scheduledAt: Date,
      attempts: {
        type: [
          new Schema(
            {
              attempt: Number,
              scheduledAt: Date,
              startedAt: Date,
              endedAt: Date,
              error: new Schema<StepError>({ message: String, code: String }, { _id: false }),
            },
            { _id: false },
          ),
        ],
        default: undefined,
      },
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

/**
 * All the steps of one finished express run in one document, as one JSON string (a string costs the store far
 * less than nested fields). A step whose input is the same JSON as an earlier step's output (a node's input is
 * its source's output) stores that step's index in `i` instead of the text.
 */
interface StepBundleDoc {
  _id: string; // runId
  json: string;
  createdAt: Date;
}

const StepBundleModel =
  (mongoose.models.StepBundle as mongoose.Model<StepBundleDoc>) ??
  mongoose.model<StepBundleDoc>(
    'StepBundle',
    new Schema<StepBundleDoc>(
      { _id: { type: String, required: true }, json: { type: String, required: true }, createdAt: Date },
      { versionKey: false },
    ).set('collection', 'step_bundles'),
  );

/**
 * A step in a bundle: times as numbers; `i` is the earlier step whose output is this step's input; with `d`,
 * `output` holds only what differs from an earlier step's output: `[base step, shared prefix, shared suffix]`.
 */
type BundledStep = Omit<StepRecord, 'runId' | 'startedAt' | 'endedAt'> & {
  s?: number;
  e?: number;
  i?: number;
  d?: [number, number, number];
};

/** Stores finished runs' steps, one bundle per run, in one write. The steps must be final: bundles are never updated. */
export async function recordStepBundles(runs: Array<{ runId: string; steps: StepWrite[] }>): Promise<void> {
  if (runs.length === 0) return;
  const createdAt = new Date();
  await StepBundleModel.collection.insertMany(
    runs.map(({ runId, steps }) => ({ _id: runId as never, json: encodeBundle(steps), createdAt })),
    { ordered: false },
  );
}

/** Below this many shared characters an output is stored whole. */
const MIN_SHARED_CHARS = 32;

/**
 * Most nodes pass their input on with a few changes (Set fields adds a field), so each output is stored as its
 * difference from its input when they share a long prefix and suffix: a 20-node chain writes a tenth as much.
 */
function encodeBundle(steps: StepWrite[]): string {
  const outputs = new Map<string, number>();
  const bundled = steps.map((step, index): BundledStep => {
    const { runId: _runId, startedAt, endedAt, input, output, ...rest } = step;
    const same = input === undefined ? undefined : outputs.get(input);
    if (output !== undefined && !outputs.has(output)) outputs.set(output, index);
    const delta = same !== undefined && output !== undefined ? difference(input!, output) : undefined;
    return {
      ...rest,
      ...(delta
        ? { output: delta.middle, d: [same!, delta.prefix, delta.suffix] }
        : output !== undefined
          ? { output }
          : {}),
      ...(same !== undefined ? { i: same } : input !== undefined ? { input } : {}),
      ...(startedAt ? { s: startedAt.getTime() } : {}),
      ...(endedAt ? { e: endedAt.getTime() } : {}),
    };
  });
  return JSON.stringify(bundled);
}

/** What `text` shares with `base` at its start and end, and what is left between; undefined when that is little. */
function difference(base: string, text: string): { prefix: number; suffix: number; middle: string } | undefined {
  const most = Math.min(base.length, text.length);
  let prefix = 0;
  while (prefix < most && base.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < most - prefix &&
    base.charCodeAt(base.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  if (prefix + suffix < MIN_SHARED_CHARS) return undefined;
  return { prefix, suffix, middle: text.slice(prefix, text.length - suffix) };
}

function decodeBundle(doc: StepBundleDoc): StepDoc[] {
  const bundled = JSON.parse(doc.json) as BundledStep[];
  // Outputs first, in order: a difference refers to an earlier step's output.
  const outputs: Array<string | undefined> = [];
  for (const { output, d } of bundled) {
    const base = d ? outputs[d[0]] : undefined;
    outputs.push(
      d && base !== undefined && output !== undefined
        ? base.slice(0, d[1]) + output + base.slice(base.length - d[2])
        : output,
    );
  }
  return bundled.map(({ s, e, i, d: _d, output: _output, ...step }, index) => {
    const endedAt = e === undefined ? undefined : new Date(e);
    const output = outputs[index];
    return {
      ...step,
      _id: stepKey(doc._id, step.nodeId, step.iteration),
      runId: doc._id,
      ...(output !== undefined ? { output } : {}),
      ...(i !== undefined ? { input: outputs[i] } : {}),
      ...(s !== undefined ? { startedAt: new Date(s) } : {}),
      ...(endedAt ? { endedAt } : {}),
      updatedAt: endedAt ?? doc.createdAt,
    };
  });
}

/** The steps of a run stored as a bundle (an express run), or none. */
async function bundledSteps(runId: string): Promise<StepDoc[]> {
  const doc = await StepBundleModel.findOne({ _id: runId }).lean();
  return doc ? decodeBundle(doc) : [];
}

/** Unambiguous whatever the ids contain. */
export function stepKey(runId: string, nodeId: string, iteration: number): string {
  return JSON.stringify([runId, nodeId, iteration]);
}

/**
 * Upserts the record of one node execution in one write. A write from an older attempt than the stored one is
 * dropped, so a timed-out attempt that finishes late cannot overwrite its retry. With `onlyIfStatus` the write
 * also applies only over those statuses (or when no record exists yet). Returns whether it applied: when the
 * stored record fails the condition, the upsert tries to insert its `_id` again, which the store refuses.
 */
export async function recordStep(step: StepWrite, opts: { onlyIfStatus?: StepStatus[] } = {}): Promise<boolean> {
  const _id = stepKey(step.runId, step.nodeId, step.iteration);
  const set = Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined));
  // A new attempt starts clean: the previous attempt's error and timings no longer describe the step.
  const stale =
    step.status === 'running'
      ? ['error', 'details', 'output', 'outputSize', 'endedAt', 'durationMs'].filter((k) => !(k in set))
      : [];
  const unset = stale.length > 0 ? { $unset: Object.fromEntries(stale.map((k) => [k, 1])) } : {};
  const filter = {
    _id,
    attempt: { $lte: step.attempt },
    ...(opts.onlyIfStatus ? { status: { $in: opts.onlyIfStatus } } : {}),
  };
  try {
    await LiveStepModel.updateOne(filter, { $set: { ...set, updatedAt: new Date() }, ...unset }, { upsert: true });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Writes finished steps (a fused chain of pure nodes, an express run) in one round trip. Each is the whole record
 * of a node's single attempt, so it replaces whatever a retry of the same unit wrote before. They are inserted,
 * which costs a fifth of an upsert on FerretDB; only the records that already exist (the unit ran before a
 * crash) are replaced afterwards.
 */
export async function recordFinishedSteps(steps: StepWrite[]): Promise<void> {
  if (steps.length === 0) return;
  const updatedAt = new Date();
  const docs = steps.map(
    (step) =>
      ({
        _id: stepKey(step.runId, step.nodeId, step.iteration),
        ...Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)),
        updatedAt,
      }) as StepDoc,
  );
  const existing = await insertNew(LiveStepModel, docs);
  if (existing.length === 0) return;
  await LiveStepModel.bulkWrite(
    existing.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
    { ordered: false },
  );
}

/** Inserts the documents that do not exist yet, and returns the others (their `_id` is taken). */
async function insertNew<T extends { _id: string }>(model: mongoose.Model<T>, docs: T[]): Promise<T[]> {
  try {
    await model.collection.insertMany(docs as unknown as mongoose.mongo.OptionalId<mongoose.mongo.BSON.Document>[], {
      ordered: false,
    });
    return [];
  } catch (err) {
    if (!(err instanceof mongoose.mongo.MongoBulkWriteError)) throw err;
    const failed = [err.writeErrors].flat();
    if (failed.some((w) => w.code !== 11000)) throw err;
    return failed.map((w) => docs[w.index]);
  }
}

/** A step of a run in progress; archived steps are read only when the live record is gone. */
export async function findStep(runId: string, nodeId: string, iteration = 0): Promise<StepDoc | undefined> {
  const _id = stepKey(runId, nodeId, iteration);
  return (
    (await LiveStepModel.findOne({ _id }).lean()) ??
    (await StepModel.findOne({ _id }).lean()) ??
    (await bundledSteps(runId)).find((step) => step._id === _id)
  );
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
  const [live, archived, bundled] = await Promise.all([
    LiveStepModel.find({ runId }).lean(),
    StepModel.find({ runId }).lean(),
    bundledSteps(runId),
  ]);
  return newestOfEach([...bundled, ...archived, ...live]);
}

function newestOfEach(docs: StepDoc[]): StepDoc[] {
  const byId = new Map<string, StepDoc>();
  for (const doc of docs) {
    const seen = byId.get(doc._id);
    if (!seen || seen.updatedAt <= doc.updatedAt) byId.set(doc._id, doc);
  }
  return [...byId.values()].sort(byStart);
}

/**
 * Moves step records untouched for `idleMs` to the archive, `batch` at a time, at most `maxBatches` batches. Safe to
 * run from every worker at once: a record the archive already holds is merged into it by `_id`, and a live record
 * written again meanwhile is left for the next pass. New records go in as one unordered insert per batch, the
 * deletes as one bulk write of `_id` lookups. One query feeds every batch: FerretDB cannot push the date range
 * down, so each query reads the whole live collection.
 */
export async function archiveIdleSteps(idleMs = 10 * 60_000, batch = 500, maxBatches = 1): Promise<number> {
  const cursor = LiveStepModel.find({ updatedAt: { $lt: new Date(Date.now() - idleMs) } })
    .limit(batch * maxBatches)
    .batchSize(batch)
    .lean()
    .cursor();
  let moved = 0;
  let docs: StepDoc[] = [];
  for await (const doc of cursor) {
    docs.push(doc);
    if (docs.length < batch) continue;
    await moveToArchive(docs);
    moved += docs.length;
    docs = [];
  }
  if (docs.length > 0) await moveToArchive(docs);
  return moved + docs.length;
}

async function moveToArchive(docs: StepDoc[]): Promise<void> {
  const archived = await insertNew(StepModel, docs);
  if (archived.length > 0) {
    await StepModel.bulkWrite(
      archived.map(({ _id, ...fields }) => ({
        updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
      })),
      { ordered: false },
    );
  }
  await LiveStepModel.bulkWrite(
    docs.map(({ _id, updatedAt }) => ({ deleteOne: { filter: { _id, updatedAt } } })),
    { ordered: false },
  );
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
    ...(doc.details === undefined ? {} : { details: JSON.parse(doc.details) }),
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
    durationMs: doc.durationMs,
    ...(doc.reusedFrom ? { reusedFrom: doc.reusedFrom } : {}),
  };
}

/**
 * Marks every step of the run still pending or running as failed with `error`: for a run that ended
 * without the interpreter closing its steps (terminated, timed out). The write goes to the live
 * collection, where it wins over an archived record of the same step. Returns the steps it closed.
 */
export async function closeOpenSteps(runId: string, error: StepError, at = new Date()): Promise<StepDoc[]> {
  const open = (await listStepRecords(runId)).filter((s) => s.status === 'running' || s.status === 'pending');
  if (open.length === 0) return [];
  const closed: StepDoc[] = open.map(({ _id, ...fields }) => {
    const durationMs = fields.startedAt ? at.getTime() - fields.startedAt.getTime() : undefined;
    return { _id, ...fields, status: 'failed' as const, error, endedAt: at, durationMs, updatedAt: new Date() };
  });
  await LiveStepModel.bulkWrite(
    closed.map(({ _id, ...step }) => ({ updateOne: { filter: { _id }, update: { $set: step }, upsert: true } })),
    { ordered: false },
  );
  return closed;
}

/** Retention: deletes the step records (live and archived) of these runs. */
export async function deleteStepsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  // One equality per run rather than `$in`, which FerretDB evaluates over the whole archive.
  const deletes = runIds.map((runId) => ({ deleteMany: { filter: { runId } } }));
  const [live, archived, bundles] = await Promise.all([
    LiveStepModel.bulkWrite(deletes, { ordered: false }),
    StepModel.bulkWrite(deletes, { ordered: false }),
    StepBundleModel.bulkWrite(
      runIds.map((runId) => ({ deleteOne: { filter: { _id: runId } } })),
      { ordered: false },
    ),
  ]);
  return live.deletedCount + archived.deletedCount + bundles.deletedCount;
}

/** Whether a step record exists, read by `_id` with nothing else fetched (live first, then the archive). */
async function stepExists(runId: string, nodeId: string, iteration: number): Promise<boolean> {
  const _id = stepKey(runId, nodeId, iteration);
  return (await LiveStepModel.exists({ _id })) !== null || (await StepModel.exists({ _id })) !== null;
}

/**
 * How many iterations of loop node `nodeId` have step records. Iterations are recorded from 1 upwards without gaps
 * (a loop prepares them a slice at a time), so the highest one is found by `_id` lookups alone: doubling until a
 * record is missing, then bisecting, about 2·log2(n) lookups for n iterations, and never a scan of the run's steps.
 */
export async function countLoopIterations(runId: string, nodeId: string): Promise<number> {
  if (!(await stepExists(runId, nodeId, 1))) return 0;
  let present = 1;
  let absent = 2;
  while (await stepExists(runId, nodeId, absent)) {
    present = absent;
    absent *= 2;
  }
  while (absent - present > 1) {
    const mid = Math.floor((present + absent) / 2);
    if (await stepExists(runId, nodeId, mid)) present = mid;
    else absent = mid;
  }
  return present;
}

/**
 * How many iterations of loop node `nodeId` failed. Only equalities (and `$ne`), which FerretDB hands to the
 * backend's `runId` index (docs/decisions/031-flat-history.md), so no record travels to the app. A record moving
 * to the archive at that instant may be counted twice; the figure is a summary, not a ledger.
 */
export async function countFailedIterations(runId: string, nodeId: string): Promise<number> {
  const filter = { runId, nodeId, status: 'failed', iteration: { $ne: 0 } };
  const [live, archived] = await Promise.all([LiveStepModel.countDocuments(filter), StepModel.countDocuments(filter)]);
  return live + archived;
}

/** The step records of some (node, iteration) pairs of a run, each read by `_id`; missing ones are left out. */
export async function findStepsByKey(
  runId: string,
  keys: Array<{ nodeId: string; iteration: number }>,
): Promise<StepDoc[]> {
  const docs = await mapLimit(keys, 8, ({ nodeId, iteration }) => findStep(runId, nodeId, iteration));
  return docs.filter((d): d is StepDoc => d !== undefined).sort(byStart);
}

/** The top-level steps of a run (iteration 0): equalities only, so loop iterations never leave the store. */
export async function listTopLevelStepRecords(runId: string): Promise<StepDoc[]> {
  const filter = { runId, iteration: 0 };
  const [live, archived, bundled] = await Promise.all([
    LiveStepModel.find(filter).lean(),
    StepModel.find(filter).lean(),
    bundledSteps(runId),
  ]);
  return newestOfEach([...bundled.filter((step) => step.iteration === 0), ...archived, ...live]);
}
