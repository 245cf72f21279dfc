// Workflows (an editable draft guarded by a revision number) and their immutable published versions.
// Documents are user data, so they are stored as JSON strings, never as Mongo structure.
// Reads on the webhook path go by `_id` alone: FerretDB's SQLite backend evaluates nothing else in SQLite
// (decisions 015, 028). A version's `_id` is `<workflowId>:<version>`; versions published before that
// carry an ObjectId and are found by their fields instead.
// Every workflow and version belongs to one workspace (decision 036). Functions that serve callers take a
// WorkspaceScope: reads by `_id` compare the document's `workspaceId` after the read (another workspace's workflow
// reads as missing), lists filter on it. Engine paths (webhook lookup, retention, sub-run records) read by `_id` alone.
import mongoose, { Schema, type Types } from 'mongoose';
import type { WorkspaceScope } from './workspaces';
import { isDuplicateKey } from './duplicate-key';

/** How long a workflow's finished runs are kept; `null` takes the global default (db/retention). */
export interface RetentionOverride {
  days: number | null;
  runs: number | null;
}

export interface WorkflowSummary {
  id: string;
  workspaceId: string;
  name: string;
  ownerId: string;
  revision: number;
  tags: string[];
  publishedVersion: number | null;
  retention: RetentionOverride;
  createdAt: Date;
  updatedAt: Date;
}

export interface Workflow extends WorkflowSummary {
  document: unknown;
}

export interface WorkflowVersion {
  workflowId: string;
  workspaceId: string;
  version: number;
  document: unknown;
  planHash: string;
  createdBy: string;
  createdAt: Date;
}

interface WorkflowDoc {
  workspaceId: string;
  name: string;
  ownerId: string;
  revision: number;
  documentJson: string;
  tags: string[];
  publishedVersion: number | null;
  retentionDays?: number;
  retentionRuns?: number;
  /** Deleted by its user: hidden everywhere, webhooks off; its runs stay unless `purgeRuns`. */
  archivedAt?: Date;
  /** Deleted together with its runs: retention deletes them, then this document and its versions. */
  purgeRuns?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface VersionDoc {
  /** `versionKey(workflowId, version)`; an ObjectId on versions published before keys existed. */
  _id: string | Types.ObjectId;
  workflowId: string;
  workspaceId: string;
  version: number;
  documentJson: string;
  planHash: string;
  createdBy: string;
  createdAt: Date;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const WorkflowModel =
  (mongoose.models.Workflow as mongoose.Model<WorkflowDoc>) ??
  mongoose.model<WorkflowDoc>(
    'Workflow',
    new Schema<WorkflowDoc>(
      {
        workspaceId: { type: String, required: true },
        name: { type: String, required: true },
        ownerId: { type: String, required: true },
        revision: { type: Number, required: true },
        documentJson: { type: String, required: true },
        tags: { type: [String], default: [] },
        publishedVersion: { type: Number, default: null },
        retentionDays: Number,
        retentionRuns: Number,
        archivedAt: Date,
        purgeRuns: Boolean,
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true, index: true },
      },
      { collection: 'workflows' },
    ).index({ workspaceId: 1, updatedAt: -1 }),
  );

const VersionModel =
  (mongoose.models.WorkflowVersion as mongoose.Model<VersionDoc>) ??
  mongoose.model<VersionDoc>(
    'WorkflowVersion',
    new Schema<VersionDoc>(
      {
        _id: { type: String, required: true },
        workflowId: { type: String, required: true },
        workspaceId: { type: String, required: true },
        version: { type: Number, required: true },
        documentJson: { type: String, required: true },
        planHash: { type: String, required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { collection: 'workflow_versions', versionKey: false },
    )
      .index({ workflowId: 1, version: 1 }, { unique: true })
      .index({ workspaceId: 1, workflowId: 1, version: -1 })
      .index({ planHash: 1 }),
  );

export const EMPTY_DOCUMENT = { nodes: [], edges: [], settings: {} };

type Lean<T> = T & { _id: Types.ObjectId | string };

function toSummary(doc: Lean<WorkflowDoc>): WorkflowSummary {
  return {
    id: String(doc._id),
    workspaceId: doc.workspaceId,
    name: doc.name,
    ownerId: doc.ownerId,
    revision: doc.revision,
    tags: doc.tags ?? [],
    publishedVersion: doc.publishedVersion ?? null,
    retention: { days: doc.retentionDays ?? null, runs: doc.retentionRuns ?? null },
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

const toWorkflow = (doc: Lean<WorkflowDoc>): Workflow => ({
  ...toSummary(doc),
  document: JSON.parse(doc.documentJson),
});

const toVersion = (doc: VersionDoc): WorkflowVersion => ({
  workflowId: doc.workflowId,
  workspaceId: doc.workspaceId,
  version: doc.version,
  document: JSON.parse(doc.documentJson),
  planHash: doc.planHash,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
});

export async function createWorkflow(
  scope: WorkspaceScope,
  input: { name: string; ownerId: string; document?: unknown; tags?: string[] },
): Promise<Workflow> {
  const now = new Date();
  const doc = await WorkflowModel.create({
    workspaceId: scope.workspaceId,
    name: input.name,
    ownerId: input.ownerId,
    revision: 1,
    documentJson: JSON.stringify(input.document ?? EMPTY_DOCUMENT),
    tags: input.tags ?? [],
    publishedVersion: null,
    createdAt: now,
    updatedAt: now,
  });
  return toWorkflow(doc.toObject());
}

const NOT_ARCHIVED = { archivedAt: { $exists: false } };

// Archived and the workspace are checked after the read: a filter with more than `_id` would scan the collection
// on FerretDB.
/** A live workflow of the caller's workspace; an archived (deleted) one, or another workspace's, is not found. */
export async function getWorkflow(scope: WorkspaceScope, id: string): Promise<Workflow | undefined> {
  const workflow = await getWorkflowUnscoped(id);
  return workflow?.workspaceId === scope.workspaceId ? workflow : undefined;
}

/** A live workflow whatever its workspace: for the engine, which learns the workspace from the workflow. */
export async function getWorkflowUnscoped(id: string): Promise<Workflow | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  const doc = await WorkflowModel.findOne({ _id: id }).lean();
  return doc && !doc.archivedAt ? toWorkflow(doc) : undefined;
}

/** The workspace a live workflow belongs to (one field read by `_id`): for socket rooms and scheduled run records. */
export async function workspaceOfWorkflow(id: string): Promise<string | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  const doc = await WorkflowModel.findOne({ _id: id }, { workspaceId: 1, archivedAt: 1 }).lean();
  return doc && !doc.archivedAt ? doc.workspaceId : undefined;
}

/**
 * The live workflow's id as stored, its workspace and its published version (null: never published), or undefined
 * when there is no live workflow. Reads three fields by `_id`, so the webhook path can afford it on every request.
 * Unscoped: a webhook URL names its workflow, and the run lands in that workflow's workspace.
 */
export async function publishedVersionOf(
  id: string,
): Promise<{ id: string; workspaceId: string; publishedVersion: number | null } | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  // Through the driver: mongoose's query machinery cost more CPU than the read itself on this path.
  const _id = typeof id === 'string' && id.length === 24 ? new mongoose.Types.ObjectId(id) : id;
  const doc = await WorkflowModel.collection.findOne(
    { _id: _id as mongoose.Types.ObjectId },
    { projection: { publishedVersion: 1, archivedAt: 1, workspaceId: 1 } },
  );
  return doc && !doc.archivedAt
    ? { id: String(doc._id), workspaceId: doc.workspaceId, publishedVersion: doc.publishedVersion ?? null }
    : undefined;
}

type LiveVersion = { id: string; workspaceId: string; publishedVersion: number | null };

/**
 * `publishedVersionOf` for the webhook hot path, answered from memory for up to `BATON_LIVE_VERSION_CACHE_MS`
 * (default 1000; 0 reads every time). On FerretDB the read by `_id` cost more CPU than a whole express run
 * (decision 043). This process's own publish, unpublish, archive and delete drop the workflow's entry at once;
 * a change made through another web process is seen within the TTL. Only workflows that exist are kept, so
 * requests for made-up ids cannot push real entries out.
 */
export async function cachedPublishedVersionOf(id: string): Promise<LiveVersion | undefined> {
  const ttl = liveVersionTtlMs();
  if (ttl === 0) return publishedVersionOf(id);
  const now = Date.now();
  const kept = liveVersions.entries.get(id);
  if (kept && kept.until > now) return kept.value;
  const generation = liveVersions.generation;
  const value = await publishedVersionOf(id);
  // A change in this process while the read was out may have come after it: keep nothing then.
  if (value && generation === liveVersions.generation) {
    liveVersions.entries.delete(id); // re-inserted last: the oldest entries go first
    liveVersions.entries.set(id, { value, until: now + ttl });
    if (liveVersions.entries.size > LIVE_VERSIONS_KEPT)
      liveVersions.entries.delete(liveVersions.entries.keys().next().value!);
  }
  return value;
}

const LIVE_VERSIONS_KEPT = 10_000;
// One per process: dev and production load app modules twice (tsx for server.ts, the Remix build for routes),
// and the publish route must reach the entries the webhook router reads.
const SHARED: unique symbol = Symbol.for('baton.liveVersions');
const liveVersions = ((
  globalThis as { [SHARED]?: { entries: Map<string, { value: LiveVersion; until: number }>; generation: number } }
)[SHARED] ??= { entries: new Map(), generation: 0 });

function liveVersionTtlMs(): number {
  const raw = process.env.BATON_LIVE_VERSION_CACHE_MS;
  if (raw === undefined || raw === '') return 1000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`BATON_LIVE_VERSION_CACHE_MS must be a number of milliseconds (0 or more), not "${raw}".`);
  return ms;
}

/** This process changed what `cachedPublishedVersionOf(id)` answers. */
function forgetLiveVersion(id: string): void {
  liveVersions.generation++;
  liveVersions.entries.delete(id);
}

/** The workspace's live workflows, last changed first. */
export async function listWorkflows(
  scope: WorkspaceScope,
  { limit = 200 }: { limit?: number } = {},
): Promise<WorkflowSummary[]> {
  const docs = await WorkflowModel.find({ workspaceId: scope.workspaceId, ...NOT_ARCHIVED }, { documentJson: 0 })
    .sort({ updatedAt: -1 })
    .limit(limit)
    .lean();
  return docs.map((d) => toSummary(d as Lean<WorkflowDoc>));
}

export type UpdateResult =
  | { ok: true; workflow: Workflow }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'conflict'; currentRevision: number };

/**
 * Compare-and-set on `revision`: the write lands only if nobody saved since `baseRevision`,
 * so two editors can never silently overwrite each other.
 */
export async function updateWorkflow(
  scope: WorkspaceScope,
  id: string,
  baseRevision: number,
  changes: { name?: string; document?: unknown; tags?: string[] },
): Promise<UpdateResult> {
  if (!mongoose.isValidObjectId(id)) return { ok: false, reason: 'not-found' };
  const set: Partial<WorkflowDoc> = { updatedAt: new Date() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.tags !== undefined) set.tags = changes.tags;
  if (changes.document !== undefined) set.documentJson = JSON.stringify(changes.document);
  // The filter has more than `_id` already (the revision), so the workspace costs nothing more in it.
  const doc = await WorkflowModel.findOneAndUpdate(
    { _id: id, revision: baseRevision, workspaceId: scope.workspaceId },
    { $set: set, $inc: { revision: 1 } },
    { new: true },
  ).lean();
  if (doc) return { ok: true, workflow: toWorkflow(doc) };
  const current = await WorkflowModel.findById(id, { revision: 1, workspaceId: 1 }).lean();
  return current && current.workspaceId === scope.workspaceId
    ? { ok: false, reason: 'conflict', currentRevision: current.revision }
    : { ok: false, reason: 'not-found' };
}

/**
 * Sets or clears (`null`) the workflow's retention override. Not a document edit: the revision stays,
 * so an editor open on the draft does not see a conflict.
 */
export async function setWorkflowRetention(
  scope: WorkspaceScope,
  id: string,
  retention: Partial<RetentionOverride>,
): Promise<Workflow | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  const set: Partial<WorkflowDoc> = {};
  const unset: Record<string, 1> = {};
  for (const [key, field] of [
    ['days', 'retentionDays'],
    ['runs', 'retentionRuns'],
  ] as const) {
    const value = retention[key];
    if (value === null) unset[field] = 1;
    else if (value !== undefined) set[field] = value;
  }
  const doc = await WorkflowModel.findOneAndUpdate(
    { _id: id, workspaceId: scope.workspaceId, ...NOT_ARCHIVED },
    { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { new: true },
  ).lean();
  return doc ? toWorkflow(doc) : undefined;
}

/**
 * Deletes a workflow as its user sees it: it leaves lists, the editor and webhooks at once. With
 * `purgeRuns` retention then deletes its runs and finally the workflow itself (db/retention
 * `purgeWorkflow`); without, its runs stay in history. False when there is no such live workflow.
 */
export async function archiveWorkflow(
  scope: WorkspaceScope,
  id: string,
  opts: { purgeRuns: boolean },
): Promise<boolean> {
  if (!mongoose.isValidObjectId(id)) return false;
  const { modifiedCount } = await WorkflowModel.updateOne(
    { _id: id, workspaceId: scope.workspaceId, ...NOT_ARCHIVED },
    { $set: { archivedAt: new Date(), ...(opts.purgeRuns ? { purgeRuns: true } : {}) } },
  );
  forgetLiveVersion(id);
  return modifiedCount > 0;
}

/** What retention needs to know of every workflow, archived ones included (their runs are kept too). */
export async function workflowsForRetention(): Promise<
  Array<{ id: string; retention: RetentionOverride; purgeRuns: boolean }>
> {
  const docs = await WorkflowModel.find({}, { retentionDays: 1, retentionRuns: 1, purgeRuns: 1 }).lean();
  return docs.map((d) => ({
    id: String(d._id),
    retention: { days: d.retentionDays ?? null, runs: d.retentionRuns ?? null },
    purgeRuns: d.purgeRuns === true,
  }));
}

/** Removes the workflow document and its versions for good; returns the plan hashes the versions pinned. */
export async function removeWorkflowRecords(id: string): Promise<string[]> {
  if (!mongoose.isValidObjectId(id)) return [];
  const versions = await VersionModel.find({ workflowId: id }, { planHash: 1 }).lean();
  await VersionModel.deleteMany({ workflowId: id });
  await WorkflowModel.deleteOne({ _id: id });
  forgetLiveVersion(id);
  return [...new Set(versions.map((v) => v.planHash))];
}

/** Whether a published version pinned the plan (published versions keep their plans). */
export async function isPlanPublished(planHash: string): Promise<boolean> {
  return (await VersionModel.findOne({ planHash }, { _id: 1 }).lean()) !== null;
}

const versionKey = (workflowId: string, version: number) => `${workflowId}:${version}`;

/**
 * Freezes a document as the next version number. The number after the workflow's `publishedVersion` is
 * tried first; a duplicate key (a concurrent publish, or a publish that crashed before raising
 * `publishedVersion`) moves on to the next number.
 */
export async function publishVersion(
  scope: WorkspaceScope,
  input: { workflowId: string; document: unknown; planHash: string; createdBy: string },
): Promise<WorkflowVersion> {
  if (!mongoose.isValidObjectId(input.workflowId))
    throw new Error(`Cannot publish workflow ${input.workflowId}: not a workflow id.`);
  const current = await WorkflowModel.findOne(
    { _id: input.workflowId },
    { publishedVersion: 1, workspaceId: 1 },
  ).lean();
  if (!current || current.workspaceId !== scope.workspaceId)
    throw new Error(`Cannot publish workflow ${input.workflowId}: it does not exist.`);
  // An unpublished workflow has versions but no published one: numbering goes on after its newest.
  const newest =
    current.publishedVersion ??
    (await VersionModel.findOne({ workflowId: input.workflowId }, { version: 1 }).sort({ version: -1 }).lean())
      ?.version ??
    0;
  const first = newest + 1;
  for (let version = first; version < first + 20; version++) {
    const row: VersionDoc = {
      _id: versionKey(input.workflowId, version),
      workflowId: input.workflowId,
      workspaceId: scope.workspaceId,
      version,
      documentJson: JSON.stringify(input.document),
      planHash: input.planHash,
      createdBy: input.createdBy,
      createdAt: new Date(),
    };
    try {
      await VersionModel.create(row);
    } catch (err) {
      if (isDuplicateKey(err)) continue;
      throw err;
    }
    await WorkflowModel.updateOne({ _id: input.workflowId }, { $max: { publishedVersion: version } });
    forgetLiveVersion(input.workflowId);
    return toVersion(row);
  }
  throw new Error(`Could not publish workflow ${input.workflowId}: too many concurrent publishes; try again.`);
}

/**
 * Takes the workflow offline: no version is published any more, so webhooks answer 404 and its schedule goes
 * (app/lib/schedules.server.ts). Its versions stay, and the next publish numbers on after the newest. Returns the
 * version that was published (null: none was), or undefined when there is no such live workflow.
 */
export async function unpublishWorkflow(scope: WorkspaceScope, id: string): Promise<number | null | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  // No projection: FerretDB's findAndModify does not take one.
  const before = await WorkflowModel.findOneAndUpdate(
    { _id: id, workspaceId: scope.workspaceId, ...NOT_ARCHIVED },
    { $set: { publishedVersion: null } },
  ).lean();
  forgetLiveVersion(id);
  return before ? (before.publishedVersion ?? null) : undefined;
}

/** The workflow's published versions, newest first. */
export async function listVersions(
  scope: WorkspaceScope,
  workflowId: string,
): Promise<Array<Omit<WorkflowVersion, 'document'>>> {
  const docs = await VersionModel.find({ workspaceId: scope.workspaceId, workflowId }, { documentJson: 0 })
    .sort({ version: -1 })
    .lean();
  return docs.map(({ workflowId: w, workspaceId, version, planHash, createdBy, createdAt }) => ({
    workflowId: w,
    workspaceId,
    version,
    planHash,
    createdBy,
    createdAt,
  }));
}

/**
 * A version of a workflow, reached through its workflow: callers have read the workflow (scoped, or by the
 * webhook's `_id` lookup) before asking for one of its versions.
 */
export async function getVersion(workflowId: string, version: number): Promise<WorkflowVersion | undefined> {
  const doc =
    (await VersionModel.findOne({ _id: versionKey(workflowId, version) }).lean()) ??
    (await VersionModel.findOne({ workflowId, version }).lean());
  return doc ? toVersion(doc) : undefined;
}
