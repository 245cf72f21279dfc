// Run records: one per run, written by the web (queued) and by the interpreter's activities (status).
// Every run belongs to its workflow's workspace (decision 036). Reads that serve callers take a WorkspaceScope and
// compare the record's `workspaceId` after the `_id` read, so another workspace's run reads as missing; lists filter
// on it. The engine (status writes, the reconciler, run control after the route's check) reads by `_id` alone,
// through the functions named `…Unscoped`.
import mongoose, { Schema } from 'mongoose';
import type { RunAwaiting, RunMode, RunOf, RunView } from '../contracts/run-record';
import { isTerminalRunStatus, TERMINAL_RUN_STATUSES, type RunError, type RunStatus } from '../contracts/run-status';
import { registerIfMissing, trackRun, untrackRun } from './active-runs';
import type { WorkspaceScope } from './workspaces';
import { upsertById } from './duplicate-key';
import { appendEvent } from './events';
import { runBuckets, type RunBuckets } from './run-buckets';
import { tagFields } from '../contracts/run-tags';
// A cycle by design: the list reads this module's model when called, and `listRuns` is one page walk of it.
import { encodeRunCursor, listRunPage, RUN_PAGE_LIMITS } from './run-list';

// `_id` is the run id. On FerretDB over PostgreSQL a query uses an index only through an equality on a field
// (decision 031): `$in`, ranges and sorts scan the table, which holds every run ever kept. Trigger and output are
// stored as serialized JSON (large values as blob references).
// The start's time buckets (db/run-buckets.ts) and the run's tags are real fields, so the runs page's filters are
// equalities; `tags` holds `key=value` strings (one equality finds a tag), `tagValues` the same as a map to read.
export interface RunDoc extends Omit<RunOf<string, Date>, 'tags'>, Partial<RunBuckets> {
  _id: string;
  tags?: string[];
  tagValues?: Record<string, string>;
}

/** The run records' model, for the run list (db/run-list.ts); everything else goes through the functions here. */
export const RunModel =
  (mongoose.models.Run as mongoose.Model<RunDoc>) ??
  mongoose.model<RunDoc>(
    'Run',
    new Schema<RunDoc>(
      {
        _id: { type: String, required: true },
        runId: { type: String, required: true, unique: true },
        workspaceId: String,
        workflowId: { type: String, required: true },
        workflowVersion: Number,
        planHash: { type: String, required: true },
        status: { type: String, required: true },
        mode: { type: String, required: true },
        express: Boolean,
        trigger: String,
        output: String,
        error: new Schema<RunError>(
          { message: String, nodeId: String, nodeName: String, code: String },
          { _id: false },
        ),
        startedBy: String,
        parentRunId: String,
        parentNodeId: String,
        retryOf: String,
        reusedNodeIds: { type: [String], default: undefined },
        awaiting: String,
        tags: { type: [String], default: undefined },
        tagValues: { type: Schema.Types.Mixed, default: undefined },
        startedAt: { type: Date, required: true },
        endedAt: Date,
        startedMinute: String,
        startedHour: String,
        startedDay: String,
        startedMonth: String,
      },
      { collection: 'runs', versionKey: false },
    )
      .index({ workflowId: 1, startedAt: -1 })
      .index({ workspaceId: 1, workflowId: 1, startedAt: -1 })
      .index({ workspaceId: 1, startedAt: -1 })
      .index({ startedAt: -1 })
      .index({ planHash: 1 })
      .index({ status: 1, endedAt: 1 })
      .index({ parentRunId: 1 }, { sparse: true })
      .index({ retryOf: 1 }, { sparse: true })
      // The runs page (db/run-list.ts): each bucket field leads its own index, so FerretDB's GIN twin covers it.
      .index({ startedMinute: 1 })
      .index({ startedHour: 1 })
      .index({ startedDay: 1 })
      .index({ startedMonth: 1 })
      .index({ tags: 1 }),
  );

export interface CreateRunInput {
  runId: string;
  /** The workflow's workspace; a child run's is its parent's. */
  workspaceId: string;
  workflowId: string;
  workflowVersion?: number;
  planHash: string;
  trigger: unknown;
  mode: RunMode;
  startedBy?: string;
  parentRunId?: string;
  parentNodeId?: string;
  /** The run this one retries or re-runs (temporal/run-retry.ts). */
  retryOf?: string;
  /**
   * A retry's nodes whose steps it takes over from `retryOf`: kept on the record so that a run the reconciler starts
   * after its launcher died is still the retry it was asked to be, not a run from the start.
   */
  reusedNodeIds?: string[];
}

/** Registers the run as active before writing its record, so no crash can leave a record the reconciler misses. */
export async function createRun(input: CreateRunInput): Promise<RunView> {
  await trackRun(input.runId, input.workflowId, 'queued');
  const startedAt = new Date();
  const doc = await RunModel.create({
    _id: input.runId,
    ...input,
    trigger: JSON.stringify(input.trigger ?? null),
    status: 'queued',
    startedAt,
    ...runBuckets(startedAt),
  });
  return toView(doc.toObject());
}

export interface FinishedRunInput extends Omit<CreateRunInput, 'trigger'> {
  /** Serialized JSON, as `setRunStatus` takes it. */
  trigger: string;
  status: RunStatus;
  output?: string;
  error?: RunError;
  startedAt: Date;
  endedAt: Date;
  /** Tags the run's nodes set (db/run-tags.ts `checkedTags` made them safe). */
  tags?: Record<string, string>;
}

/**
 * Writes the whole record of an express run, which is finished before anything is stored: one insert, and
 * no entry in the active-run registry (nothing is left for the reconciler to resume).
 */
export async function recordFinishedRun(input: FinishedRunInput): Promise<void> {
  await recordFinishedRuns([input]);
}

/** `recordFinishedRun` for several runs in one insert: express runs that ended while the last write was out. */
export async function recordFinishedRuns(inputs: FinishedRunInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // Straight to the driver: the inputs are typed already, and mongoose's casting and validation of each
  // document cost more CPU than the insert under express load.
  const docs = inputs.map(({ tags, ...input }) => {
    const doc: Record<string, unknown> = { _id: input.runId, express: true, ...runBuckets(input.startedAt) };
    for (const [key, value] of Object.entries(input)) if (value !== undefined) doc[key] = value;
    if (tags && Object.keys(tags).length > 0) Object.assign(doc, tagFields(tags));
    return doc;
  });
  await RunModel.collection.insertMany(docs as never[], { ordered: false });
}

/** A run of the caller's workspace; another workspace's reads as missing. */
export async function getRun(scope: WorkspaceScope, runId: string): Promise<RunView | undefined> {
  return (await getStoredRun(scope, runId))?.run;
}

/** A run whatever its workspace: for the engine, and for run control after the route read it scoped. */
export async function getRunUnscoped(runId: string): Promise<RunView | undefined> {
  if (typeof runId !== 'string') return undefined;
  const doc = await RunModel.findOne({ _id: runId }).lean();
  return doc ? toView(doc) : undefined;
}

/** The workspace a run belongs to (one field read by `_id`): for socket rooms, which check it before joining. */
export async function workspaceOfRun(runId: string): Promise<string | undefined> {
  if (typeof runId !== 'string') return undefined;
  return (await RunModel.findOne({ _id: runId }, { workspaceId: 1 }).lean())?.workspaceId;
}

/** The run plus its output as stored (serialized JSON, large values as blob references), for previews. */
export async function getStoredRun(
  scope: WorkspaceScope,
  runId: string,
): Promise<{ run: RunView; outputJson?: string } | undefined> {
  if (typeof runId !== 'string') return undefined;
  const doc = await RunModel.findOne({ _id: runId }).lean();
  return doc && doc.workspaceId === scope.workspaceId ? { run: toView(doc), outputJson: doc.output } : undefined;
}

/**
 * The runs another run started (Execute workflow nodes, its error workflow), oldest first. Reached through the
 * parent: the equality on `parentRunId` uses its index, and a child is always in its parent's workspace.
 */
export async function listChildRuns(scope: WorkspaceScope, parentRunId: string, limit = 200): Promise<RunView[]> {
  const docs = await RunModel.find({ parentRunId }, { trigger: 0, output: 0 }).limit(limit).lean();
  return docs
    .filter((d) => d.workspaceId === scope.workspaceId)
    .map(toView)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/** The workspace's runs, or one workflow's, newest first; `before` pages by start time (db/run-list.ts reads them). */
export async function listRuns(
  scope: WorkspaceScope,
  opts: { workflowId?: string; limit?: number; before?: Date | string } = {},
): Promise<RunView[]> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const runs: RunView[] = [];
  let cursor = opts.before ? encodeRunCursor({ t: new Date(opts.before).getTime(), id: '' }) : undefined;
  while (runs.length < limit) {
    const page = await listRunPage(
      scope,
      { workflowId: opts.workflowId },
      { cursor, limit: Math.min(limit - runs.length, RUN_PAGE_LIMITS.max) },
    );
    runs.push(...page.runs);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return runs;
}

export interface RunStatusExtra {
  /** Serialized JSON (see activities/blob-store `encodeValue`). */
  output?: string;
  error?: RunError;
  at?: Date;
  /**
   * Fields for a run that was started without `createRun`: by a Temporal Schedule (temporal/schedules.ts), whose
   * run creates its own record, or straight through the Temporal client (tests).
   */
  workspaceId?: string;
  workflowId?: string;
  workflowVersion?: number;
  planHash?: string;
  trigger?: string;
  /** `manual` when absent. */
  mode?: RunMode;
}

/**
 * Moves a run to `status`. A terminal status is never overwritten by `running` (a late or retried
 * write), and the record is created if the web never wrote one. The active-run registry follows: a run
 * leaves it once its terminal status is stored. False when the write was dropped because the run had finished.
 */
export async function setRunStatus(runId: string, status: RunStatus, extra: RunStatusExtra = {}): Promise<boolean> {
  const at = extra.at ?? new Date();
  const terminal = isTerminalRunStatus(status);
  if (!terminal) {
    const current = await RunModel.findOne({ _id: runId }, { status: 1, workflowId: 1 }).lean();
    if (current && isTerminalRunStatus(current.status)) return false;
    await trackRun(
      runId,
      current?.workflowId ?? extra.workflowId ?? 'unknown',
      status === 'queued' ? 'queued' : 'running',
      at,
    );
  }
  const set: Partial<RunDoc> = { status };
  if (terminal) set.endedAt = at;
  if (extra.output !== undefined) set.output = extra.output;
  if (extra.error) set.error = extra.error;
  const onInsert: Partial<RunDoc> = {
    runId,
    workflowId: extra.workflowId ?? 'unknown',
    planHash: extra.planHash ?? 'unknown',
    mode: extra.mode ?? 'manual',
    startedAt: at,
    ...runBuckets(at),
    ...(extra.workspaceId !== undefined ? { workspaceId: extra.workspaceId } : {}),
    ...(extra.workflowVersion !== undefined ? { workflowVersion: extra.workflowVersion } : {}),
    ...(extra.trigger !== undefined ? { trigger: extra.trigger } : {}),
  };
  // A finished run waits on no one: an approval still open when it ended is closed with it.
  const update = terminal
    ? { $set: set, $setOnInsert: onInsert, $unset: { awaiting: 1 } }
    : { $set: set, $setOnInsert: onInsert };
  await upsertById(() => RunModel.updateOne({ _id: runId }, update, { upsert: true }));
  if (terminal) await untrackRun(runId);
  return true;
}

/**
 * Marks a running run as waiting on people (`'approval'`) or clears the mark (`undefined`): the approval engine
 * calls it when a request opens and when it closes. One `_id` read and one `_id` update; a run with no record or a
 * finished one is left alone (a terminal status clears the mark itself). Browsers hear of it through a run event.
 */
export async function setRunAwaiting(runId: string, awaiting: RunAwaiting | undefined): Promise<void> {
  const current = await RunModel.findOne({ _id: runId }, { status: 1, workflowId: 1, awaiting: 1 }).lean();
  if (!current || isTerminalRunStatus(current.status) || current.awaiting === awaiting) return;
  await RunModel.updateOne(
    { _id: runId },
    awaiting === undefined ? { $unset: { awaiting: 1 } } : { $set: { awaiting } },
  );
  await appendEvent({
    kind: 'run',
    runId,
    workflowId: current.workflowId,
    status: current.status,
    at: new Date().toISOString(),
    ...(awaiting ? { awaiting } : {}),
  }).catch((err: unknown) => console.warn(`Live event for run ${runId} was not stored: ${(err as Error).message}`));
}

const BUCKETS_MIGRATION = 'run-start-buckets';

/**
 * Gives runs recorded before the runs page existed their start buckets (db/run-buckets.ts), which the run list reads
 * by. Once per database: a marker records that it ran, so later starts cost one `_id` read instead of a scan.
 */
export async function backfillRunBuckets(): Promise<number> {
  const markers = mongoose.connection.db!.collection<{ _id: string; at: Date }>('baton_migrations');
  if (await markers.findOne({ _id: BUCKETS_MIGRATION })) return 0;
  const docs = await RunModel.find({ startedMinute: { $exists: false } }, { startedAt: 1 }).lean();
  for (let i = 0; i < docs.length; i += 500) {
    const writes = docs
      .slice(i, i + 500)
      .filter((d) => d.startedAt instanceof Date)
      .map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: runBuckets(d.startedAt) } } }));
    if (writes.length > 0) await RunModel.bulkWrite(writes, { ordered: false });
  }
  await markers
    .updateOne({ _id: BUCKETS_MIGRATION }, { $set: { at: new Date() } }, { upsert: true })
    .catch(() => undefined);
  return docs.length;
}

/** Which of `runIds` have a record; one `_id` lookup each (FerretDB evaluates `$in` over every stored run). */
export async function existingRunIds(runIds: string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < runIds.length; i += 50) {
    const batch = runIds.slice(i, i + 50);
    const docs = await Promise.all(batch.map((_id) => RunModel.findOne({ _id }, { _id: 1 }).lean()));
    for (const doc of docs) if (doc) found.push(doc._id);
  }
  return found;
}

/**
 * Registers every unfinished run the active-run registry lacks: runs begun before the registry existed.
 * Once per process start; one equality per status, so the status index answers it. Returns how many runs are
 * unfinished.
 */
export async function registerUnfinishedRuns(): Promise<number> {
  let unfinished = 0;
  for (const status of ['queued', 'running'] as const) {
    const docs = await RunModel.find({ status }, { workflowId: 1 }).lean();
    for (const d of docs) await registerIfMissing(d._id, d.workflowId, status);
    unfinished += docs.length;
  }
  return unfinished;
}

/** What retention needs of a run: its id, and the plan it pinned (deleted with its last run). */
export interface RunKey {
  runId: string;
  planHash: string;
}

const FINISHED = { status: { $in: [...TERMINAL_RUN_STATUSES] } };
const KEY_FIELDS = { _id: 1, planHash: 1 } as const;
const toKey = (doc: Pick<RunDoc, '_id' | 'planHash'>): RunKey => ({ runId: doc._id, planHash: doc.planHash });

/** Finished runs that ended before `before`, oldest first: of one workflow, or of all but `exceptWorkflowIds`. */
export async function finishedRunsEndedBefore(
  before: Date,
  opts: { workflowId?: string; exceptWorkflowIds?: string[]; limit: number },
): Promise<RunKey[]> {
  const filter: mongoose.FilterQuery<RunDoc> = { ...FINISHED, endedAt: { $lt: before } };
  if (opts.workflowId) filter.workflowId = opts.workflowId;
  else if (opts.exceptWorkflowIds?.length) filter.workflowId = { $nin: opts.exceptWorkflowIds };
  const docs = await RunModel.find(filter, KEY_FIELDS).sort({ endedAt: 1 }).limit(opts.limit).lean();
  return docs.map(toKey);
}

/** Finished runs of a workflow past its newest `keep` (by start time), newest of them first. */
export async function finishedRunsBeyond(workflowId: string, keep: number, limit: number): Promise<RunKey[]> {
  const docs = await RunModel.find({ ...FINISHED, workflowId }, KEY_FIELDS)
    .sort({ startedAt: -1 })
    .skip(keep)
    .limit(limit)
    .lean();
  return docs.map(toKey);
}

/** Finished runs of a workflow, whatever their age: for deleting a workflow with its runs. */
export async function finishedRunsOf(workflowId: string, limit: number): Promise<RunKey[]> {
  const docs = await RunModel.find({ ...FINISHED, workflowId }, KEY_FIELDS)
    .limit(limit)
    .lean();
  return docs.map(toKey);
}

/** Whether any run of the workflow, finished or not, is still stored. */
export async function hasRunsOf(workflowId: string): Promise<boolean> {
  return (await RunModel.findOne({ workflowId }, { _id: 1 }).lean()) !== null;
}

/** Whether a stored run pinned the plan. */
export async function isPlanPinned(planHash: string): Promise<boolean> {
  return (await RunModel.findOne({ planHash }, { _id: 1 }).lean()) !== null;
}

/** Deletes run records only; retention (db/retention) removes what they own first. */
export async function deleteRunRecords(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  // One `_id` lookup per run rather than `$in`, which FerretDB evaluates over every stored run.
  const deletes = runIds.map((_id) => ({ deleteOne: { filter: { _id } } }));
  return (await RunModel.bulkWrite(deletes, { ordered: false })).deletedCount;
}

export function toView(doc: RunDoc): RunView {
  return {
    runId: doc.runId,
    ...(doc.workspaceId ? { workspaceId: doc.workspaceId } : {}),
    workflowId: doc.workflowId,
    workflowVersion: doc.workflowVersion,
    planHash: doc.planHash,
    status: doc.status,
    mode: doc.mode,
    ...(doc.express ? { express: true } : {}),
    trigger: parseJson(doc.trigger),
    output: parseJson(doc.output),
    error: doc.error?.message ? doc.error : undefined,
    startedBy: doc.startedBy,
    ...(doc.parentRunId ? { parentRunId: doc.parentRunId, parentNodeId: doc.parentNodeId } : {}),
    ...(doc.retryOf ? { retryOf: doc.retryOf } : {}),
    ...(doc.reusedNodeIds?.length ? { reusedNodeIds: [...doc.reusedNodeIds] } : {}),
    ...(doc.awaiting ? { awaiting: doc.awaiting } : {}),
    ...(doc.tagValues && Object.keys(doc.tagValues).length > 0 ? { tags: { ...doc.tagValues } } : {}),
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
  };
}

function parseJson(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}
