// Workflows installed from the marketplace (docs/decisions/069): which listing and version each one came from, the
// listing graph it is based on (the "base" of the three-way merge when an update comes), and an undo stack of the
// documents updates replaced, for rollback. One record per workflow, `_id` = the workflow id. Graphs and documents
// are user data, stored as JSON text (storage rules). Writes compare-and-set on `seq`: no transactions here.
import mongoose, { Schema } from 'mongoose';
import type { InstallHistoryEntry, InstallView } from '../contracts/marketplace-install';
import type { ListingGraph } from '../contracts/marketplace';
import type { WorkspaceScope } from './workspaces';

/** How many updates can be rolled back, one after the other: each keeps a whole workflow document. */
export const UNDO_DEPTH = 5;
const HISTORY_KEPT = 50;

interface UndoEntry {
  version: string;
  baseGraphJson: string;
  documentJson: string;
}

interface InstallDoc {
  _id: string;
  workspaceId: string;
  listingId: string;
  version: string;
  baseGraphJson: string;
  installedAt: Date;
  by: string;
  updatedAt: Date;
  history: InstallHistoryEntry[];
  undo: UndoEntry[];
  seq: number;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const InstallModel =
  (mongoose.models.MarketplaceInstall as mongoose.Model<InstallDoc>) ??
  mongoose.model<InstallDoc>(
    'MarketplaceInstall',
    new Schema<InstallDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        listingId: { type: String, required: true },
        version: { type: String, required: true },
        baseGraphJson: { type: String, required: true },
        installedAt: { type: Date, required: true },
        by: { type: String, required: true },
        updatedAt: { type: Date, required: true },
        history: {
          type: [
            new Schema<InstallHistoryEntry>(
              { action: String, version: String, toVersion: String, at: String, by: String },
              { _id: false },
            ),
          ],
          default: [],
        },
        undo: {
          type: [
            new Schema<UndoEntry>({ version: String, baseGraphJson: String, documentJson: String }, { _id: false }),
          ],
          default: [],
        },
        seq: { type: Number, required: true },
      },
      { collection: 'marketplace_installs', versionKey: false },
    ),
  );

/** An install as the server works with it: the view plus the base graph and what rollback would restore. */
export interface InstallRecord extends InstallView {
  baseGraph: ListingGraph;
  seq: number;
  undo: Array<{ version: string; baseGraph: ListingGraph; document: unknown }>;
}

function toRecord(doc: InstallDoc): InstallRecord {
  const undo = (doc.undo ?? []).map((u) => ({
    version: u.version,
    baseGraph: JSON.parse(u.baseGraphJson) as ListingGraph,
    document: JSON.parse(u.documentJson) as unknown,
  }));
  return {
    workflowId: doc._id,
    workspaceId: doc.workspaceId,
    listingId: doc.listingId,
    version: doc.version,
    installedAt: doc.installedAt.toISOString(),
    by: doc.by,
    updatedAt: doc.updatedAt.toISOString(),
    history: (doc.history ?? []).map((h) => ({ ...h })),
    rollbackTo: undo.at(-1)?.version ?? null,
    baseGraph: JSON.parse(doc.baseGraphJson) as ListingGraph,
    seq: doc.seq,
    undo,
  };
}

export function installView(record: InstallRecord): InstallView {
  const { baseGraph: _base, seq: _seq, undo: _undo, ...view } = record;
  return view;
}

export async function recordInstall(input: {
  workflowId: string;
  workspaceId: string;
  listingId: string;
  version: string;
  baseGraph: ListingGraph;
  by: string;
}): Promise<InstallRecord> {
  const now = new Date();
  const doc: InstallDoc = {
    _id: input.workflowId,
    workspaceId: input.workspaceId,
    listingId: input.listingId,
    version: input.version,
    baseGraphJson: JSON.stringify(input.baseGraph),
    installedAt: now,
    by: input.by,
    updatedAt: now,
    history: [],
    undo: [],
    seq: 1,
  };
  await InstallModel.create(doc);
  return toRecord(doc);
}

/** The install record of a workflow of the caller's workspace; undefined for another workspace's or none. */
export async function getInstall(scope: WorkspaceScope, workflowId: string): Promise<InstallRecord | undefined> {
  const doc = (await InstallModel.findById(workflowId).lean()) as InstallDoc | null;
  return doc && doc.workspaceId === scope.workspaceId ? toRecord(doc) : undefined;
}

/** The workspace's installs of one listing, newest first. */
export async function installsOfListing(workspaceId: string, listingId: string): Promise<InstallView[]> {
  const docs = (await InstallModel.find({ workspaceId, listingId }).sort({ installedAt: -1 }).lean()) as InstallDoc[];
  return docs.map((d) => installView(toRecord(d)));
}

/** The listing and version each installed workflow of the workspace is at, by workflow id: one indexed read. */
export async function installedVersions(
  workspaceId: string,
): Promise<Map<string, { listingId: string; version: string }>> {
  const docs = (await InstallModel.find({ workspaceId }, { listingId: 1, version: 1 }).lean()) as Array<
    Pick<InstallDoc, '_id' | 'listingId' | 'version'>
  >;
  return new Map(docs.map((d) => [d._id, { listingId: d.listingId, version: d.version }]));
}

/** The record is now based on `toVersion`; `replaced` (the document and base before) goes on the undo stack. */
export async function recordUpdate(
  record: InstallRecord,
  change: { toVersion: string; baseGraph: ListingGraph; replacedDocument: unknown; by: string },
): Promise<boolean> {
  const now = new Date();
  const undo: UndoEntry[] = [
    ...record.undo.map((u) => ({
      version: u.version,
      baseGraphJson: JSON.stringify(u.baseGraph),
      documentJson: JSON.stringify(u.document),
    })),
    {
      version: record.version,
      baseGraphJson: JSON.stringify(record.baseGraph),
      documentJson: JSON.stringify(change.replacedDocument),
    },
  ].slice(-UNDO_DEPTH);
  const entry: InstallHistoryEntry = {
    action: 'update',
    version: record.version,
    toVersion: change.toVersion,
    at: now.toISOString(),
    by: change.by,
  };
  const res = await InstallModel.updateOne(
    { _id: record.workflowId, seq: record.seq },
    {
      $set: {
        version: change.toVersion,
        baseGraphJson: JSON.stringify(change.baseGraph),
        undo,
        history: [...record.history, entry].slice(-HISTORY_KEPT),
        updatedAt: now,
      },
      $inc: { seq: 1 },
    },
  );
  return res.modifiedCount === 1;
}

/** Pops the last update off the undo stack: the record is based on its version and base again. */
export async function recordRollback(record: InstallRecord, by: string): Promise<boolean> {
  const last = record.undo.at(-1);
  if (!last) return false;
  const now = new Date();
  const entry: InstallHistoryEntry = {
    action: 'rollback',
    version: record.version,
    toVersion: last.version,
    at: now.toISOString(),
    by,
  };
  const res = await InstallModel.updateOne(
    { _id: record.workflowId, seq: record.seq },
    {
      $set: {
        version: last.version,
        baseGraphJson: JSON.stringify(last.baseGraph),
        undo: record.undo.slice(0, -1).map((u) => ({
          version: u.version,
          baseGraphJson: JSON.stringify(u.baseGraph),
          documentJson: JSON.stringify(u.document),
        })),
        history: [...record.history, entry].slice(-HISTORY_KEPT),
        updatedAt: now,
      },
      $inc: { seq: 1 },
    },
  );
  return res.modifiedCount === 1;
}
