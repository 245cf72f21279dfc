// The audit trail (issue 8): who did what, in which workspace, to what, from where and when. Append-only from the
// app: this module inserts and reads, and exports nothing that updates or deletes an entry.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

export const AUDIT_ACTIONS = [
  'auth.sign-in',
  'auth.sign-in-failed',
  'auth.sign-out',
  'auth.password-change',
  'auth.password-reset-issued',
  'auth.password-reset',
  'session.revoke',
  'member.invite',
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
  'workflow.publish',
  'workflow.unpublish',
  'workflow.delete',
  'run.start',
  'run.cancel',
  'run.terminate',
  'approval.decide',
  'workspace.settings',
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

interface AuditDoc extends Omit<AuditEntryInput, never> {
  _id: string;
  at: Date;
}

const AuditModel =
  (mongoose.models.AuditEntry as mongoose.Model<AuditDoc>) ??
  mongoose.model<AuditDoc>(
    'AuditEntry',
    new Schema<AuditDoc>(
      {
        _id: String,
        workspaceId: { type: String, index: true },
        actor: { type: Schema.Types.Mixed, required: true },
        action: { type: String, required: true },
        target: Schema.Types.Mixed,
        ip: String,
        change: Schema.Types.Mixed,
        at: { type: Date, required: true },
      },
      { collection: 'audit_log', versionKey: false },
    ),
  );

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|private[-_]?key|cookie/i;
const MAX_STRING = 500;

/** A copy with values under secret-looking keys replaced and long strings cut, so an entry never holds a secret. */
export function scrubChange(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => scrubChange(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? '[omitted]' : scrubChange(item, depth + 1);
    }
    return out;
  }
  return value;
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

export { AuditModel };
