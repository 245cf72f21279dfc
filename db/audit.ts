// The audit trail (issue 8): who did what, in which workspace, to what, from where and when. Append-only from the
// app: this module inserts and reads, and exports nothing that updates or deletes an entry (its model stays private;
// db/audit.test.ts checks the exports). Retention never reaches it: run pruning deletes runs, not their audit trail.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { User } from './users';
import type { WorkspaceScope } from './workspaces';

export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.password-change',
  'auth.password-reset-issued',
  'auth.password-reset',
  'session.revoke',
  'member.invite',
  'member.invite-revoke',
  'member.join',
  'member.role-change',
  'member.remove',
  'group.save',
  'group.delete',
  'token.create',
  'token.revoke',
  'credential.create',
  'credential.update',
  'credential.delete',
  'credential.use',
  'model.create',
  'model.update',
  'model.delete',
  'model.settings',
  'data-table.create',
  'data-table.rename',
  'data-table.delete',
  'data-table.schema',
  'workflow.publish',
  'workflow.unpublish',
  'workflow.delete',
  'workflow.settings',
  'run.start',
  'run.cancel',
  'run.terminate',
  'approval.decide',
  'approval.delegate',
  'workspace.settings',
  'audit.export',
  // Marketplace moderation (docs/decisions/071): recorded in the publisher's workspace and at instance level.
  'marketplace.unpublish',
  'marketplace.republish',
  'marketplace.feature',
  'marketplace.unfeature',
  'marketplace.report-resolve',
  'marketplace.report-dismiss',
  'marketplace.review-delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditActor {
  /** A user id, `system` for the engine, or `anonymous` for a failed sign-in. */
  id: string;
  /** Display name or, for a failed sign-in, the email typed. */
  name?: string;
  via?: 'session' | 'token' | 'system';
}

export interface AuditEntryInput {
  /** Undefined only for events before any workspace is known (a failed sign-in). */
  workspaceId?: string;
  actor: AuditActor;
  action: AuditAction;
  /** What was acted on: `{ kind: 'workflow', id, name? }`. */
  target?: { kind: string; id: string; name?: string };
  ip?: string;
  /** What changed, with secrets omitted (scrubbed again here: keys that look secret are replaced). */
  change?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  id: string;
  at: Date;
}

interface AuditDoc extends Omit<AuditEntryInput, 'workspaceId'> {
  _id: string;
  /** Null (or absent) for entries recorded before a workspace was known. */
  workspaceId?: string | null;
  at: Date;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: String,
    workspaceId: String,
    actor: { type: Schema.Types.Mixed, required: true },
    action: { type: String, required: true },
    target: Schema.Types.Mixed,
    ip: String,
    change: Schema.Types.Mixed,
    at: { type: Date, required: true },
  },
  { collection: 'audit_log', versionKey: false },
);
// The list is one workspace's entries newest first; each filter has an index led by the workspace, so the
// embedded FerretDB (which pushes down equality on the first key only, decision 031) and MongoDB both use them.
// No TTL index: entries are kept until an operator removes them outside the app.
auditSchema.index({ workspaceId: 1, at: -1, _id: -1 });
auditSchema.index({ workspaceId: 1, action: 1, at: -1 });
auditSchema.index({ workspaceId: 1, 'actor.id': 1, at: -1 });
auditSchema.index({ workspaceId: 1, 'target.id': 1, at: -1 });

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const AuditModel =
  (mongoose.models.AuditEntry as mongoose.Model<AuditDoc>) ?? mongoose.model<AuditDoc>('AuditEntry', auditSchema);

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|private[-_]?key|cookie/i;
/** Values that carry a credential whatever key holds them: `Bearer …`, `Basic …`, Baton API tokens. */
const SECRET_VALUE = /^\s*(bearer|basic|digest|token)\s+\S{4,}|^baton_[\w-]{16,}/i;
/** Keys that name the `value` of a pair such as `{ name: 'Authorization', value: '…' }`. */
const PAIR_NAME_KEYS = ['name', 'key', 'header'];
const OMITTED = '[omitted]';
const MAX_STRING = 500;

/**
 * A copy with secrets replaced and long strings cut, so an entry never holds a secret: values under secret-looking
 * keys, the value of a name/value pair whose name looks secret, credential-looking strings, and URL passwords.
 */
export function scrubChange(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return scrubString(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => scrubChange(item, depth + 1));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const secretPair = 'value' in record && PAIR_NAME_KEYS.some((key) => isSecretName(record[key]));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) {
      const secret = SECRET_KEY.test(key) || (secretPair && key === 'value');
      out[key] = secret ? OMITTED : scrubChange(item, depth + 1);
    }
    return out;
  }
  return value;
}

const isSecretName = (name: unknown) => typeof name === 'string' && SECRET_KEY.test(name);

function scrubString(text: string): string {
  if (SECRET_VALUE.test(text)) return OMITTED;
  const withoutUrlPasswords = text.replace(/(\b[a-z][\w+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${OMITTED}@`);
  return withoutUrlPasswords.length > MAX_STRING ? `${withoutUrlPasswords.slice(0, MAX_STRING)}…` : withoutUrlPasswords;
}

/** Appends one entry. Never throws into the action it records: a failure is logged and the action stands. */
export async function recordAudit(entry: AuditEntryInput): Promise<void> {
  const doc: AuditDoc = {
    _id: `aud_${randomUUID()}`,
    ...entry,
    ...(entry.change ? { change: scrubChange(entry.change) as Record<string, unknown> } : {}),
    at: new Date(),
  };
  try {
    await AuditModel.collection.insertOne(doc as never);
  } catch (err) {
    console.error(`[audit] could not record ${entry.action}: ${(err as Error).message}`);
  }
}

declare const instanceChecked: unique symbol;
/** The instance-level view: entries with no workspace (failed sign-ins), for the instance owner only. */
export type InstanceAuditScope = Readonly<{ instance: true; userId: string }> & { readonly [instanceChecked]: true };

/** The instance-level view for `user`, or undefined unless they own the instance (db/users role `owner`). */
export function instanceAuditScope(user: Pick<User, 'id' | 'role'>): InstanceAuditScope | undefined {
  if (user.role !== 'owner') return undefined;
  return Object.freeze({ instance: true, userId: user.id }) as InstanceAuditScope;
}

/** Whose entries a read returns: one workspace's, or (instance view) those recorded without a workspace. */
export type AuditView = WorkspaceScope | InstanceAuditScope;

export interface AuditFilter {
  /** A user id (exact), or part of the actor's name or typed email (any case). */
  actor?: string;
  action?: AuditAction;
  /** A target id (exact), or part of its name (any case). */
  target?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  until?: Date;
}

/** Where a page ended: the time and id of its last entry (the list is ordered by both, newest first). */
export interface AuditCursor {
  at: Date;
  id: string;
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

/** The cursor a page handed out, or undefined when `text` is not one. */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  const [iso, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (rest.length || !id || !/^aud_[\w-]{1,64}$/.test(id) || Number.isNaN(at.getTime())) return undefined;
  return { at, id };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function queryOf(view: AuditView, filter: AuditFilter, after?: AuditCursor): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (filter.actor) {
    const part = { $regex: escapeRegex(filter.actor), $options: 'i' };
    and.push({ $or: [{ 'actor.id': filter.actor }, { 'actor.name': part }] });
  }
  if (filter.target) {
    const part = { $regex: escapeRegex(filter.target), $options: 'i' };
    and.push({ $or: [{ 'target.id': filter.target }, { 'target.name': part }] });
  }
  if (after) and.push({ $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] });
  const at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.until ? { $lt: filter.until } : {}) };
  return {
    workspaceId: 'instance' in view ? null : view.workspaceId,
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.from || filter.until ? { at } : {}),
    ...(and.length ? { $and: and } : {}),
  };
}

const NEWEST_FIRST = { at: -1, _id: -1 } as const;

function toEntry(doc: AuditDoc): AuditEntry {
  return {
    id: doc._id,
    at: doc.at,
    ...(doc.workspaceId ? { workspaceId: doc.workspaceId } : {}),
    actor: doc.actor,
    action: doc.action,
    ...(doc.target ? { target: doc.target } : {}),
    ...(doc.ip ? { ip: doc.ip } : {}),
    ...(doc.change ? { change: doc.change } : {}),
  };
}

/** One page of matching entries, newest first, and the cursor of the next page when there is one. */
export async function listAudit(
  view: AuditView,
  filter: AuditFilter = {},
  page: { limit?: number; after?: AuditCursor } = {},
): Promise<{ entries: AuditEntry[]; next?: string }> {
  const limit = page.limit ?? 50;
  const docs = (await AuditModel.collection
    .find(queryOf(view, filter, page.after))
    .sort(NEWEST_FIRST)
    .limit(limit + 1)
    .toArray()) as unknown as AuditDoc[];
  const entries = docs.slice(0, limit).map(toEntry);
  const last = entries[entries.length - 1];
  return docs.length > limit && last ? { entries, next: encodeAuditCursor(last) } : { entries };
}

/** Every matching entry, newest first, read in batches; stopping early (`return()`) closes the database cursor. */
export async function* streamAudit(view: AuditView, filter: AuditFilter = {}): AsyncGenerator<AuditEntry> {
  const cursor = AuditModel.collection.find(queryOf(view, filter)).sort(NEWEST_FIRST).batchSize(500);
  try {
    for await (const doc of cursor) yield toEntry(doc as unknown as AuditDoc);
  } finally {
    await cursor.close();
  }
}
