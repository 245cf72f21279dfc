// Takeover tasks of Browser steps (docs/decisions/059): one document per hand-over, the task as JSON beside the fields
// the inbox and the waiting activity query. The relay's address and token are stored apart from the task, the token
// sealed with the vault like a credential's secrets, and only `takeoverRelay` (the web server) opens them: no view,
// list or API answer carries them. Vault key rotation re-wraps the token's data key in place (`sealedRelayTokens`).
// A task changes from `open` once, by a conditional write, so a person's decision, the deadline and a cancellation
// cannot both win.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { TakeoverStatus, TakeoverTask } from '../contracts/browser-takeover';
import { openSecrets, sealSecrets, type SealBinding, type SealedSecrets } from './vault-crypto';
import { loadVaultKey } from './vault-key';
import type { WorkspaceScope } from './workspaces';

interface TakeoverDoc {
  _id: string;
  workspaceId: string;
  runId: string;
  /** Run, node and iteration: a retried attempt closes the tasks its dead predecessor left open. */
  stepKey: string;
  status: TakeoverStatus;
  eligible: string[];
  createdAt: Date;
  relayUrl: string;
  relayToken: string;
  json: string;
}

const TakeoverModel =
  (mongoose.models.BrowserTakeover as mongoose.Model<TakeoverDoc>) ??
  mongoose.model<TakeoverDoc>(
    'BrowserTakeover',
    new Schema<TakeoverDoc>(
      {
        _id: { type: String, required: true },
        workspaceId: { type: String, required: true },
        runId: { type: String, required: true },
        stepKey: { type: String, required: true },
        status: { type: String, required: true },
        eligible: { type: [String], default: [] },
        createdAt: { type: Date, required: true },
        relayUrl: { type: String, required: true },
        relayToken: { type: String, required: true },
        json: { type: String, required: true },
      },
      { collection: 'browser_takeovers', versionKey: false },
    )
      .index({ eligible: 1, workspaceId: 1, status: 1 })
      .index({ workspaceId: 1 })
      .index({ runId: 1 })
      .index({ stepKey: 1, status: 1 }),
  );

const binding = (task: Pick<TakeoverTask, 'id' | 'workspaceId'>): SealBinding => ({
  workspaceId: task.workspaceId,
  credentialId: task.id,
  type: 'browser-takeover',
});

export const newTakeoverId = () => `tko_${randomUUID()}`;

export interface NewTakeover {
  task: TakeoverTask;
  stepKey: string;
  relay: { url: string; token: string };
}

/**
 * Stores a new open task; tasks of the same step still open (their worker died and Temporal retried the node here)
 * are closed as superseded first, and returned so their people can be told.
 */
export async function openTakeover({ task, stepKey, relay }: NewTakeover): Promise<TakeoverTask[]> {
  const closed = await supersedeTakeoversOfStep(stepKey);
  const sealed = sealSecrets({ token: relay.token }, binding(task), loadVaultKey());
  await TakeoverModel.create({
    _id: task.id,
    workspaceId: task.workspaceId,
    runId: task.runId,
    stepKey,
    status: task.status,
    eligible: task.eligible,
    createdAt: new Date(task.createdAt),
    relayUrl: relay.url,
    relayToken: JSON.stringify(sealed),
    json: JSON.stringify(task),
  });
  return closed;
}

/**
 * Closes the step's open tasks as superseded: their attempt died (its worker was killed) and Temporal retried the node.
 * A retried attempt calls it when it starts, so a retry that needs nobody leaves no task open. Returns the closed tasks.
 */
export async function supersedeTakeoversOfStep(stepKey: string): Promise<TakeoverTask[]> {
  const open = await TakeoverModel.find({ stepKey, status: 'open' }, { _id: 1 }).lean();
  const closed: TakeoverTask[] = [];
  for (const doc of open) {
    const done = await closeTakeover(doc._id, { status: 'superseded' });
    if (done) closed.push(done);
  }
  return closed;
}

/**
 * Housekeeping: open tasks past their deadline by `graceMs` are closed as timed out. A live attempt closes its own at
 * the deadline, so these are a dead attempt's that no retry superseded (the run was cancelled, or ran out of retries).
 */
export async function closeAbandonedTakeovers(now = new Date(), graceMs = 5 * 60_000): Promise<TakeoverTask[]> {
  const open = await TakeoverModel.find({ status: 'open' }, { json: 1 }).limit(1000).lean();
  const closed: TakeoverTask[] = [];
  for (const doc of open) {
    if (Date.parse(toTask(doc).deadlineAt) + graceMs > now.getTime()) continue;
    const done = await closeTakeover(doc._id, { status: 'timed-out' }, now);
    if (done) closed.push(done);
  }
  return closed;
}

const toTask = (doc: Pick<TakeoverDoc, 'json'>): TakeoverTask => JSON.parse(doc.json) as TakeoverTask;

const validId = (id: unknown): id is string => typeof id === 'string' && id.length <= 100;

/** A task of the caller's workspace; another workspace's reads as missing. */
export async function getTakeover(scope: WorkspaceScope, id: string): Promise<TakeoverTask | undefined> {
  if (!validId(id)) return undefined;
  const doc = await TakeoverModel.findOne({ _id: id, workspaceId: scope.workspaceId }, { json: 1 }).lean();
  return doc ? toTask(doc) : undefined;
}

/** Where the worker holding the task's page listens, and the token it wants: for the web server's relay only. */
export async function takeoverRelay(id: string): Promise<{ url: string; token: string } | undefined> {
  if (!validId(id)) return undefined;
  const doc = await TakeoverModel.findOne({ _id: id, status: 'open' }, { relayUrl: 1, relayToken: 1, json: 1 }).lean();
  if (!doc) return undefined;
  const sealed = JSON.parse(doc.relayToken) as SealedSecrets;
  const { token } = openSecrets(sealed, binding(toTask(doc)), loadVaultKey());
  return { url: doc.relayUrl, token };
}

/** The task's status now, for the activity waiting on it. */
export async function takeoverStatus(id: string): Promise<TakeoverTask | undefined> {
  const doc = await TakeoverModel.findOne({ _id: id }, { json: 1 }).lean();
  return doc ? toTask(doc) : undefined;
}

/**
 * Closes an open task as `status` (a decision, the deadline, a cancellation). Returns the closed task, or undefined
 * when it was no longer open (someone else closed it first).
 */
export async function closeTakeover(
  id: string,
  close: { status: Exclude<TakeoverStatus, 'open'>; by?: { id: string; name?: string }; note?: string },
  at = new Date(),
): Promise<TakeoverTask | undefined> {
  const doc = await TakeoverModel.findOne({ _id: id, status: 'open' }, { json: 1 }).lean();
  if (!doc) return undefined;
  const task: TakeoverTask = {
    ...toTask(doc),
    status: close.status,
    closedAt: at.toISOString(),
    ...(close.by ? { decidedBy: close.by } : {}),
    ...(close.note ? { note: close.note } : {}),
  };
  const written = await TakeoverModel.updateOne(
    { _id: id, status: 'open' },
    { $set: { status: close.status, json: JSON.stringify(task) } },
  );
  return written.modifiedCount > 0 ? task : undefined;
}

/** The open tasks the user may finish in the workspace, newest first (their inbox). */
export async function openTakeoversFor(workspaceId: string, userId: string): Promise<TakeoverTask[]> {
  const docs = await TakeoverModel.find({ eligible: userId, workspaceId, status: 'open' }, { json: 1, createdAt: 1 })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean();
  return docs.map(toTask);
}

/** How many open tasks the user may finish in the workspace (part of their inbox badge). */
export async function openTakeoverCount(workspaceId: string, userId: string): Promise<number> {
  return TakeoverModel.countDocuments({ eligible: userId, workspaceId, status: 'open' });
}

/** A run's tasks, oldest first (the run page links the open one). */
export async function takeoversOfRun(runId: string): Promise<TakeoverTask[]> {
  const docs = await TakeoverModel.find({ runId }, { json: 1 }).lean();
  return docs.map(toTask).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Retention: the tasks of deleted runs go with them (db/retention.ts). One equality delete per run, as indexes want. */
export async function deleteTakeoversOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  const deletes = runIds.map((runId) => ({ deleteMany: { filter: { runId } } }));
  return (await TakeoverModel.bulkWrite(deletes, { ordered: false })).deletedCount;
}

/** A deleted workspace's tasks, open or closed; a worker still waiting on one sees it disappear and fails its step. */
export async function deleteTakeoversOfWorkspace(workspaceId: string): Promise<number> {
  return (await TakeoverModel.deleteMany({ workspaceId })).deletedCount;
}

/** A task's sealed relay token as vault rotation (db/vault-rotation.ts) reads it: open or closed, every one is re-wrapped. */
export interface SealedRelayToken {
  id: string;
  workspaceId: string;
  name: string;
  sealed: SealedSecrets;
  binding: SealBinding;
  /** The token's stored text (`relayToken`): a re-wrap is written only where it is still the same. */
  unchanged: Record<string, unknown>;
}

const relayTokenOf = (doc: Pick<TakeoverDoc, '_id' | 'workspaceId' | 'relayToken'>): SealedRelayToken => ({
  id: doc._id,
  workspaceId: doc.workspaceId,
  name: `takeover task ${doc._id}`,
  sealed: JSON.parse(doc.relayToken) as SealedSecrets,
  binding: binding({ id: doc._id, workspaceId: doc.workspaceId }),
  unchanged: { relayToken: doc.relayToken },
});

const TOKEN_FIELDS = { _id: 1, workspaceId: 1, relayToken: 1 };

/** Every task's sealed relay token (rotation reads them all: a deadline can be weeks away). */
export async function sealedRelayTokens(): Promise<SealedRelayToken[]> {
  return (await TakeoverModel.find({}, TOKEN_FIELDS).lean()).map(relayTokenOf);
}

export async function sealedRelayToken(id: string): Promise<SealedRelayToken | null> {
  const doc = await TakeoverModel.findOne({ _id: id }, TOKEN_FIELDS).lean();
  return doc ? relayTokenOf(doc) : null;
}

/** Replaces the token's envelope (re-wrapped, same token) unless it changed since it was read. */
export async function replaceSealedRelayToken(
  { id, unchanged }: Pick<SealedRelayToken, 'id' | 'unchanged'>,
  sealed: SealedSecrets,
): Promise<boolean> {
  const written = await TakeoverModel.updateOne(
    { _id: id, relayToken: unchanged.relayToken as string },
    { $set: { relayToken: JSON.stringify(sealed) } },
  );
  return written.matchedCount === 1;
}
