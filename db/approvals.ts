// Approval requests as the run last wrote them (the interpreter holds the live state and decides;
// workflows/approvals.ts). One document per request: the request as JSON, beside the fields the inbox queries by.
// On FerretDB only top-level equalities reach an index (decision 031), so the inbox asks `pendingFor` (users who can
// still act) or `eligible` (everyone the request was ever addressed to), both arrays matched by equality, and a run's
// requests by `runId`. Reads that serve callers take a WorkspaceScope, like runs.
import mongoose, { Schema } from 'mongoose';
import { pendingDeciders } from '../contracts/approval-rules';
import type { ApprovalRequest, ApprovalStatus } from '../contracts/approvals';
import { openTakeoverCount } from './browser-takeovers';
import { isDuplicateKey } from './duplicate-key';
import type { WorkspaceScope } from './workspaces';

interface ApprovalDoc {
  _id: string;
  workspaceId: string;
  runId: string;
  status: ApprovalStatus;
  /** Every user the request was addressed to, at any level, delegates included. */
  eligible: string[];
  /** Users who can still decide: the current level's voters who have not decided (empty once closed). */
  pendingFor: string[];
  createdAt: Date;
  /** Writes of the run in order: a write older than the stored one is dropped. */
  revision: number;
  json: string;
}

const ApprovalModel =
  (mongoose.models.Approval as mongoose.Model<ApprovalDoc>) ??
  mongoose.model<ApprovalDoc>(
    'Approval',
    new Schema<ApprovalDoc>(
      {
        _id: { type: String, required: true },
        workspaceId: { type: String, required: true },
        runId: { type: String, required: true },
        status: { type: String, required: true },
        eligible: { type: [String], default: [] },
        pendingFor: { type: [String], default: [] },
        createdAt: { type: Date, required: true },
        revision: { type: Number, required: true },
        json: { type: String, required: true },
      },
      { collection: 'approvals', versionKey: false },
    )
      .index({ pendingFor: 1, workspaceId: 1 })
      .index({ eligible: 1, status: 1, createdAt: -1 })
      .index({ runId: 1 })
      .index({ workspaceId: 1, status: 1, createdAt: -1 }),
  );

/** Everyone a request was addressed to: every level's eligible users and every delegate. */
function everyEligible(request: ApprovalRequest): string[] {
  return [...new Set([...request.levels.flatMap((l) => l.eligible), ...request.delegations.map((d) => d.to)])];
}

/**
 * Stores the request as the run holds it at `revision` (the run's writes count up). A write that arrives after a
 * newer one (an activity retried late) changes nothing. Returns whether it was stored.
 */
export async function saveApproval(request: ApprovalRequest, revision: number): Promise<boolean> {
  const doc: Omit<ApprovalDoc, '_id'> = {
    workspaceId: request.workspaceId,
    runId: request.runId,
    status: request.status,
    eligible: everyEligible(request),
    pendingFor: pendingDeciders(request),
    createdAt: new Date(request.createdAt),
    revision,
    json: JSON.stringify(request),
  };
  try {
    const result = await ApprovalModel.updateOne(
      { _id: request.id, revision: { $lt: revision } },
      { $set: doc },
      { upsert: true },
    );
    return result.modifiedCount + result.upsertedCount > 0;
  } catch (err) {
    // The upsert's insert met the stored document, whose revision is not older: a stale write.
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

const toRequest = (doc: Pick<ApprovalDoc, 'json'>): ApprovalRequest => JSON.parse(doc.json) as ApprovalRequest;

/** A request of the caller's workspace; another workspace's reads as missing. */
export async function getApproval(scope: WorkspaceScope, id: string): Promise<ApprovalRequest | undefined> {
  const found = await getApprovalUnscoped(id);
  return found && found.workspaceId === scope.workspaceId ? found : undefined;
}

/** A request by id alone: for the engine, and for signed links, which name their request and approver. */
export async function getApprovalUnscoped(id: string): Promise<ApprovalRequest | undefined> {
  if (typeof id !== 'string' || id.length > 200) return undefined;
  const doc = await ApprovalModel.findOne({ _id: id }, { json: 1 }).lean();
  return doc ? toRequest(doc) : undefined;
}

/** A run's requests, oldest first (one per Approval node execution). */
export async function approvalsOfRun(runId: string): Promise<ApprovalRequest[]> {
  const docs = await ApprovalModel.find({ runId }, { json: 1, createdAt: 1 }).lean();
  return docs.map(toRequest).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export interface ApprovalListFilter {
  status?: ApprovalStatus;
  /**
   * Requests addressed to this user. With `status: 'pending'`: only those the user can still decide (not yet
   * decided by them, not barred); otherwise every request they were ever an approver or delegate of.
   */
  eligibleUserId?: string;
  cursor?: string;
  /** 1 to 200; 50 when absent. */
  limit?: number;
}

interface ListCursor {
  createdAt: string;
  id: string;
}

function encodeCursor(c: ListCursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');
}

function decodeCursor(text: string): ListCursor | undefined {
  const [createdAt, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length || !id || Number.isNaN(Date.parse(createdAt ?? ''))) return undefined;
  return { createdAt: createdAt!, id };
}

/** One page of the workspace's requests matching `filter`, newest first, and the cursor of the next page. */
export async function listApprovals(
  scope: WorkspaceScope,
  filter: ApprovalListFilter = {},
): Promise<{ items: ApprovalRequest[]; nextCursor?: string }> {
  const limit = Math.min(200, Math.max(1, Math.floor(filter.limit ?? 50)));
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const query: Record<string, unknown> = { workspaceId: scope.workspaceId };
  if (filter.eligibleUserId !== undefined) {
    if (filter.status === 'pending') query.pendingFor = filter.eligibleUserId;
    else query.eligible = filter.eligibleUserId;
  }
  if (filter.status) query.status = filter.status;
  if (after) {
    const at = new Date(after.createdAt);
    query.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: after.id } }];
  }
  const docs = await ApprovalModel.find(query, { json: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit + 1)
    .lean();
  const items = docs.slice(0, limit).map(toRequest);
  const last = items[items.length - 1];
  return docs.length > limit && last
    ? { items, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
    : { items };
}

/** How many requests of the workspace the user can still decide, and browser steps they may finish: their inbox badge. */
export async function pendingCountFor(workspaceId: string, userId: string): Promise<number> {
  const [approvals, takeovers] = await Promise.all([
    ApprovalModel.countDocuments({ pendingFor: userId, workspaceId }),
    openTakeoverCount(workspaceId, userId),
  ]);
  return approvals + takeovers;
}

/** How many of the run's requests are still open (the run waits on people while any is). */
export async function openApprovalCount(runId: string): Promise<number> {
  return ApprovalModel.countDocuments({ runId, status: 'pending' });
}

/**
 * Closes the run's open requests as `status` with nobody deciding: for a run that ended without its interpreter
 * closing them (terminated, timed out in Temporal). Returns the closed requests with who could still act on each.
 */
export async function closeApprovalsOfRun(
  runId: string,
  status: 'cancelled',
  at = new Date(),
): Promise<Array<{ request: ApprovalRequest; pendingFor: string[] }>> {
  const open = await ApprovalModel.find({ runId, status: 'pending' }).lean();
  const closed: Array<{ request: ApprovalRequest; pendingFor: string[] }> = [];
  for (const doc of open) {
    const request: ApprovalRequest = { ...toRequest(doc), status, closedBy: 'cancel', closedAt: at.toISOString() };
    const written = await ApprovalModel.updateOne(
      { _id: doc._id, revision: doc.revision },
      { $set: { status, pendingFor: [], revision: doc.revision + 1, json: JSON.stringify(request) } },
    );
    if (written.modifiedCount > 0) closed.push({ request, pendingFor: doc.pendingFor });
  }
  return closed;
}

/** Retention: deletes the approval requests of these runs (one equality per run, as for their steps). */
export async function deleteApprovalsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const deletes = runIds.map((runId) => ({ deleteMany: { filter: { runId } } }));
  return (await ApprovalModel.bulkWrite(deletes, { ordered: false })).deletedCount;
}
