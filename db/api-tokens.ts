// Personal API tokens (docs/decisions/038-sessions-and-tokens.md): a name, scopes, the workspace they act in, an
// expiry, last use, revocation. The plaintext is returned once at creation; the store keys a token by its sha256,
// so each request reads one document by `_id`, and lists show a separate public id (`tok_…`), never the hash.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { TOKEN_SCOPES, type TokenScope } from '../contracts/permissions';

export interface ApiToken {
  id: string;
  userId: string;
  /** The workspace the token acts in; absent on tokens made before workspaces. */
  workspaceId?: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

interface ApiTokenDoc extends Omit<ApiToken, 'id'> {
  _id: string;
  id: string;
}

const ApiTokenModel =
  (mongoose.models.ApiToken as mongoose.Model<ApiTokenDoc>) ??
  mongoose.model<ApiTokenDoc>(
    'ApiToken',
    new Schema<ApiTokenDoc>(
      {
        _id: String,
        id: { type: String, required: true, unique: true },
        userId: { type: String, required: true, index: true },
        workspaceId: String,
        name: { type: String, required: true },
        scopes: { type: [String], required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
        lastUsedAt: Date,
        revokedAt: Date,
      },
      { collection: 'api_tokens', versionKey: false },
    ),
  );

const DAY = 24 * 60 * 60_000;
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
const TOUCH_EVERY_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const toApiToken = (doc: ApiTokenDoc): ApiToken => ({
  id: doc.id,
  userId: doc.userId,
  ...(doc.workspaceId ? { workspaceId: doc.workspaceId } : {}),
  name: doc.name,
  scopes: doc.scopes,
  createdAt: doc.createdAt,
  expiresAt: doc.expiresAt,
  ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt } : {}),
  ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
});

let upgraded: Promise<void> | undefined;
/**
 * Tokens made before scopes (`{ tokenHash }`, an ObjectId `_id`, no expiry) are rewritten once per process into the
 * current shape: every scope, expiring 90 days after the upgrade, so that scripts keep working while their owners
 * replace them. The old unique index on `tokenHash` goes too (new documents lack the field).
 */
function upgradeOldTokens(): Promise<void> {
  upgraded ??= (async () => {
    const collection = ApiTokenModel.collection;
    const old = await collection.find({ tokenHash: { $exists: true } }).toArray();
    for (const doc of old) {
      const replacement = {
        _id: String(doc.tokenHash),
        id: `tok_${randomUUID()}`,
        userId: String(doc.userId),
        name: String(doc.name ?? 'token'),
        scopes: [...TOKEN_SCOPES],
        createdAt: doc.createdAt ?? new Date(),
        expiresAt: new Date(Date.now() + DEFAULT_TOKEN_DAYS * DAY),
        ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt } : {}),
      };
      await collection.deleteOne({ _id: doc._id });
      await collection.insertOne(replacement as never).catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err;
      });
    }
    await collection.dropIndex('tokenHash_1').catch(() => undefined);
  })().catch((err: unknown) => {
    upgraded = undefined;
    throw err;
  });
  return upgraded;
}

/** Creates a token and returns its plaintext, which is never stored or shown again. */
export async function createApiToken(input: {
  userId: string;
  workspaceId: string;
  name: string;
  scopes: readonly TokenScope[];
  expiresAt?: Date;
}): Promise<{ token: string; apiToken: ApiToken }> {
  await upgradeOldTokens();
  const token = `baton_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const doc: ApiTokenDoc = {
    _id: hashToken(token),
    id: `tok_${randomUUID()}`,
    userId: input.userId,
    workspaceId: input.workspaceId,
    name: input.name,
    scopes: TOKEN_SCOPES.filter((scope) => input.scopes.includes(scope)),
    createdAt: now,
    expiresAt: input.expiresAt ?? new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY),
  };
  await ApiTokenModel.collection.insertOne(doc as never);
  return { token, apiToken: toApiToken(doc) };
}

export type TokenCheck =
  | { ok: true; token: ApiToken }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'expired' | 'revoked'; token: ApiToken };

/** What a presented token is: live (its last use is recorded, at most once a minute), expired, revoked or unknown. */
export async function checkApiToken(token: string): Promise<TokenCheck> {
  if (!token.startsWith('baton_') || token.length > 200) return { ok: false, reason: 'unknown' };
  await upgradeOldTokens();
  const doc = await ApiTokenModel.findOne({ _id: hashToken(token) }).lean();
  if (!doc) return { ok: false, reason: 'unknown' };
  if (doc.revokedAt) return { ok: false, reason: 'revoked', token: toApiToken(doc) };
  const now = Date.now();
  if (doc.expiresAt.getTime() <= now) return { ok: false, reason: 'expired', token: toApiToken(doc) };
  if (!doc.lastUsedAt || now - doc.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    doc.lastUsedAt = new Date(now);
    await ApiTokenModel.updateOne({ _id: doc._id }, { $set: { lastUsedAt: doc.lastUsedAt } });
  }
  return { ok: true, token: toApiToken(doc) };
}

/** The user's tokens, newest first, revoked and expired ones included (they say so). */
export async function listApiTokens(userId: string): Promise<ApiToken[]> {
  await upgradeOldTokens();
  const docs = await ApiTokenModel.find({ userId }).lean();
  return docs.map(toApiToken).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export async function getApiToken(userId: string, id: string): Promise<ApiToken | undefined> {
  const doc = await ApiTokenModel.findOne({ id, userId }).lean();
  return doc ? toApiToken(doc) : undefined;
}

/** Revokes one of the user's tokens; undefined when they have none with that id. Revoking twice keeps the first time. */
export async function revokeApiToken(userId: string, id: string): Promise<ApiToken | undefined> {
  await ApiTokenModel.updateOne({ id, userId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
  return getApiToken(userId, id);
}
