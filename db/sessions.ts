// Server-side sign-in sessions (docs/decisions/038-sessions-and-tokens.md). The browser holds a random secret; the
// store keys the session by the secret's sha256, so a copy of the database opens no session. Every request reads
// one document by `_id`; `lastSeenAt` is written at most once a minute.
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

export interface Session {
  /** sha256 of the secret, hex: what lists show and revocation takes. */
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute limit: the session ends then however active it is. */
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
}

interface SessionDoc {
  _id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
}

const SessionModel =
  (mongoose.models.Session as mongoose.Model<SessionDoc>) ??
  mongoose.model<SessionDoc>(
    'Session',
    new Schema<SessionDoc>(
      {
        _id: String,
        userId: { type: String, required: true, index: true },
        createdAt: { type: Date, required: true },
        lastSeenAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
        ip: String,
        userAgent: String,
      },
      { collection: 'sessions', versionKey: false },
    ),
  );

const MINUTE = 60_000;

/** How long a session may sit unused and how long it may live at most, from BATON_SESSION_IDLE_MINUTES (default 12 h)
 * and BATON_SESSION_MAX_DAYS (default 14); read on every use, so tests can shorten them per process. */
export function sessionLimits(env: Record<string, string | undefined> = process.env): {
  idleMs: number;
  maxMs: number;
} {
  return {
    idleMs: positive(env.BATON_SESSION_IDLE_MINUTES, 'BATON_SESSION_IDLE_MINUTES', 12 * 60) * MINUTE,
    maxMs: positive(env.BATON_SESSION_MAX_DAYS, 'BATON_SESSION_MAX_DAYS', 14) * 24 * 60 * MINUTE,
  };
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number; it is "${value}".`);
  return n;
}

// Writes of lastSeenAt are spaced so that idle expiry stays accurate to a quarter of the idle limit at worst.
const touchEvery = (idleMs: number) => Math.min(MINUTE, idleMs / 4);

export const sessionIdOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

const toSession = (doc: SessionDoc): Session => ({
  id: doc._id,
  userId: doc.userId,
  createdAt: doc.createdAt,
  lastSeenAt: doc.lastSeenAt,
  expiresAt: doc.expiresAt,
  ...(doc.ip ? { ip: doc.ip } : {}),
  ...(doc.userAgent ? { userAgent: doc.userAgent } : {}),
});

const expired = (doc: SessionDoc, now: number, idleMs: number) =>
  doc.expiresAt.getTime() <= now || doc.lastSeenAt.getTime() + idleMs <= now;

/** Starts a session; the secret goes into the cookie and nowhere else. */
export async function createSession(
  userId: string,
  client: { ip?: string; userAgent?: string } = {},
): Promise<{ secret: string; session: Session }> {
  const secret = randomBytes(32).toString('base64url');
  const now = new Date();
  const doc: SessionDoc = {
    _id: sessionIdOf(secret),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + sessionLimits().maxMs),
    ...(client.ip ? { ip: client.ip.slice(0, 100) } : {}),
    ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 300) } : {}),
  };
  await SessionModel.collection.insertOne(doc as never);
  return { secret, session: toSession(doc) };
}

/** The live session a secret opens, touched when last seen over a minute ago; an expired one is deleted. */
export async function sessionBySecret(secret: string): Promise<Session | undefined> {
  const doc = await SessionModel.findOne({ _id: sessionIdOf(secret) }).lean();
  if (!doc) return undefined;
  const now = Date.now();
  const { idleMs } = sessionLimits();
  if (expired(doc, now, idleMs)) {
    await SessionModel.deleteOne({ _id: doc._id });
    return undefined;
  }
  if (now - doc.lastSeenAt.getTime() >= touchEvery(idleMs)) {
    doc.lastSeenAt = new Date(now);
    await SessionModel.updateOne({ _id: doc._id }, { $set: { lastSeenAt: doc.lastSeenAt } });
  }
  return toSession(doc);
}

/** The user's live sessions, most recently used first; expired ones are removed on the way. */
export async function listSessions(userId: string): Promise<Session[]> {
  const docs = await SessionModel.find({ userId }).lean();
  const now = Date.now();
  const { idleMs } = sessionLimits();
  const stale = docs.filter((doc) => expired(doc, now, idleMs)).map((doc) => doc._id);
  if (stale.length) await SessionModel.deleteMany({ _id: { $in: stale } });
  return docs
    .filter((doc) => !stale.includes(doc._id))
    .map(toSession)
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

/** Ends one of the user's sessions; false when they have no session with that id. */
export async function revokeSession(userId: string, id: string): Promise<boolean> {
  return (await SessionModel.deleteOne({ _id: id, userId })).deletedCount === 1;
}

/** Ends every session of the user but `keepId` (their current one, after a password change); returns how many. */
export async function revokeSessionsOf(userId: string, keepId?: string): Promise<number> {
  const filter = keepId ? { userId, _id: { $ne: keepId } } : { userId };
  return (await SessionModel.deleteMany(filter)).deletedCount;
}
