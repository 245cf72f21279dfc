// Run records: one per run, written by the web (queued) and by the interpreter's activities (status).
import mongoose, { Schema } from 'mongoose';
import type { RunMode, RunView } from '../contracts/run-record';
import type { RunError, RunStatus } from '../contracts/run-status';

// `_id` is the run id: on FerretDB only a bare string `_id` filter is evaluated inside SQLite.
interface RunDoc {
  _id: string;
  runId: string;
  workflowId: string;
  workflowVersion?: number;
  planHash: string;
  status: RunStatus;
  mode: RunMode;
  trigger?: string; // serialized JSON
  output?: string; // serialized JSON, large values as blob references
  error?: RunError;
  startedBy?: string;
  startedAt: Date;
  endedAt?: Date;
}

const RunModel =
  (mongoose.models.Run as mongoose.Model<RunDoc>) ??
  mongoose.model<RunDoc>(
    'Run',
    new Schema<RunDoc>(
      {
        _id: { type: String, required: true },
        runId: { type: String, required: true, unique: true },
        workflowId: { type: String, required: true },
        workflowVersion: Number,
        planHash: { type: String, required: true },
        status: { type: String, required: true },
        mode: { type: String, required: true },
        trigger: String,
        output: String,
        error: new Schema<RunError>(
          { message: String, nodeId: String, nodeName: String, code: String },
          { _id: false },
        ),
        startedBy: String,
        startedAt: { type: Date, required: true },
        endedAt: Date,
      },
      { collection: 'runs', versionKey: false },
    )
      .index({ workflowId: 1, startedAt: -1 })
      .index({ startedAt: -1 }),
  );

export interface CreateRunInput {
  runId: string;
  workflowId: string;
  workflowVersion?: number;
  planHash: string;
  trigger: unknown;
  mode: RunMode;
  startedBy?: string;
}

export async function createRun(input: CreateRunInput): Promise<RunView> {
  const doc = await RunModel.create({
    _id: input.runId,
    ...input,
    trigger: JSON.stringify(input.trigger ?? null),
    status: 'queued',
    startedAt: new Date(),
  });
  return toView(doc.toObject());
}

export async function getRun(runId: string): Promise<RunView | undefined> {
  return (await getStoredRun(runId))?.run;
}

/** The run plus its output as stored (serialized JSON, large values as blob references), for previews. */
export async function getStoredRun(runId: string): Promise<{ run: RunView; outputJson?: string } | undefined> {
  const doc = await RunModel.findOne({ _id: runId }).lean();
  return doc ? { run: toView(doc), outputJson: doc.output } : undefined;
}

/** Newest first; `before` pages by start time. */
export async function listRuns(
  opts: { workflowId?: string; limit?: number; before?: Date | string } = {},
): Promise<RunView[]> {
  const filter: mongoose.FilterQuery<RunDoc> = {};
  if (opts.workflowId) filter.workflowId = opts.workflowId;
  if (opts.before) filter.startedAt = { $lt: new Date(opts.before) };
  const docs = await RunModel.find(filter, { trigger: 0, output: 0 })
    .sort({ startedAt: -1 })
    .limit(Math.min(Math.max(opts.limit ?? 50, 1), 500))
    .lean();
  return docs.map(toView);
}

export interface RunStatusExtra {
  /** Serialized JSON (see activities/blob-store `encodeValue`). */
  output?: string;
  error?: RunError;
  at?: Date;
  /** Fields for a run that was started without `createRun` (e.g. straight through the Temporal client). */
  workflowId?: string;
  planHash?: string;
  trigger?: string;
}

const TERMINAL: RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * Moves a run to `status`. A terminal status is never overwritten by `running` (a late or retried
 * write), and the record is created if the web never wrote one.
 */
export async function setRunStatus(runId: string, status: RunStatus, extra: RunStatusExtra = {}): Promise<void> {
  const at = extra.at ?? new Date();
  const terminal = TERMINAL.includes(status);
  if (!terminal) {
    const current = await RunModel.findOne({ _id: runId }, { status: 1 }).lean();
    if (current && TERMINAL.includes(current.status)) return;
  }
  const set: Partial<RunDoc> = { status };
  if (terminal) set.endedAt = at;
  if (extra.output !== undefined) set.output = extra.output;
  if (extra.error) set.error = extra.error;
  const onInsert: Partial<RunDoc> = {
    runId,
    workflowId: extra.workflowId ?? 'unknown',
    planHash: extra.planHash ?? 'unknown',
    mode: 'manual',
    startedAt: at,
    ...(extra.trigger !== undefined ? { trigger: extra.trigger } : {}),
  };
  await RunModel.updateOne({ _id: runId }, { $set: set, $setOnInsert: onInsert }, { upsert: true });
}

function toView(doc: RunDoc): RunView {
  return {
    runId: doc.runId,
    workflowId: doc.workflowId,
    workflowVersion: doc.workflowVersion,
    planHash: doc.planHash,
    status: doc.status,
    mode: doc.mode,
    trigger: parseJson(doc.trigger),
    output: parseJson(doc.output),
    error: doc.error?.message ? doc.error : undefined,
    startedBy: doc.startedBy,
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
  };
}

function parseJson(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}
