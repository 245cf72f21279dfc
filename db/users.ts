// Users, password hashes (scrypt) and API tokens (stored as sha256; the plaintext is shown once).
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import mongoose, { Schema } from 'mongoose';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'member';
  createdAt: Date;
}

interface UserDoc {
  email: string;
  name: string;
  passwordHash: string;
  role: 'owner' | 'member';
  createdAt: Date;
}

interface ApiTokenDoc {
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

// `_id` is a fixed name: inserting it twice fails, which makes owner setup race-free without transactions.
interface SetupLockDoc {
  _id: string;
  at: Date;
}

// Models are looked up before being defined because dev mode loads this file twice (tsx and Vite SSR).
const UserModel =
  (mongoose.models.User as mongoose.Model<UserDoc>) ??
  mongoose.model<UserDoc>(
    'User',
    new Schema<UserDoc>(
      {
        email: { type: String, required: true, unique: true },
        name: { type: String, required: true },
        passwordHash: { type: String, required: true },
        role: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { collection: 'users' },
    ),
  );

const ApiTokenModel =
  (mongoose.models.ApiToken as mongoose.Model<ApiTokenDoc>) ??
  mongoose.model<ApiTokenDoc>(
    'ApiToken',
    new Schema<ApiTokenDoc>(
      {
        userId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        tokenHash: { type: String, required: true, unique: true },
        createdAt: { type: Date, required: true },
        lastUsedAt: Date,
      },
      { collection: 'api_tokens' },
    ),
  );

const SetupLockModel =
  (mongoose.models.SetupLock as mongoose.Model<SetupLockDoc>) ??
  mongoose.model<SetupLockDoc>(
    'SetupLock',
    new Schema<SetupLockDoc>({ _id: String, at: Date }, { collection: 'setup_lock' }),
  );

export class SetupAlreadyDoneError extends Error {
  constructor() {
    super('Baton already has an owner; sign in at /login instead.');
  }
}

function toUser(doc: UserDoc & { _id: unknown }): User {
  return { id: String(doc._id), email: doc.email, name: doc.name, role: doc.role, createdAt: doc.createdAt };
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 64);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function hasAnyUser(): Promise<boolean> {
  return (await UserModel.countDocuments().limit(1)) > 0;
}

/** First-run setup: creates the owner exactly once, even when two requests race. */
export async function createOwner(input: { email: string; name: string; password: string }): Promise<User> {
  if (await hasAnyUser()) throw new SetupAlreadyDoneError();
  try {
    await SetupLockModel.create({ _id: 'owner', at: new Date() });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new SetupAlreadyDoneError();
    throw err;
  }
  try {
    const doc = await UserModel.create({
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      role: 'owner',
      createdAt: new Date(),
    });
    return toUser(doc.toObject());
  } catch (err) {
    // Release the lock so setup can be retried after e.g. a database hiccup.
    await SetupLockModel.deleteOne({ _id: 'owner' });
    throw err;
  }
}

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`A user with the email ${email} already exists; sign in instead.`);
  }
}

/** Creates a (non-owner) user, e.g. when an invitee accepts; workspace membership is the caller's business. */
export async function createUser(input: { email: string; name: string; password: string }): Promise<User> {
  const email = normalizeEmail(input.email);
  try {
    const doc = await UserModel.create({
      email,
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      role: 'member',
      createdAt: new Date(),
    });
    return toUser(doc.toObject());
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new EmailTakenError(email);
    throw err;
  }
}

export async function getUserByEmail(email: string): Promise<User | undefined> {
  const doc = await UserModel.findOne({ email: normalizeEmail(email) }).lean();
  return doc ? toUser(doc) : undefined;
}

export async function verifyLogin(email: string, password: string): Promise<User | undefined> {
  const doc = await UserModel.findOne({ email: normalizeEmail(email) }).lean();
  if (!doc || !(await passwordMatches(password, doc.passwordHash))) return undefined;
  return toUser(doc);
}

/** The instance owner's id and every other user's, for the in-place upgrade into a default workspace. */
export async function instanceUsers(): Promise<{ ownerId?: string; otherIds: string[] }> {
  const docs = await UserModel.find({}, { role: 1 }).lean();
  const owner = docs.find((doc) => doc.role === 'owner');
  return {
    ownerId: owner ? String(owner._id) : undefined,
    otherIds: docs.filter((doc) => doc !== owner).map((doc) => String(doc._id)),
  };
}

export async function getUserById(id: string): Promise<User | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  const doc = await UserModel.findById(id).lean();
  return doc ? toUser(doc) : undefined;
}

/** Creates an API token and returns its plaintext, which is never stored or shown again. */
export async function createApiToken(userId: string, name: string): Promise<string> {
  const token = `baton_${randomBytes(32).toString('base64url')}`;
  await ApiTokenModel.create({ userId, name, tokenHash: hashToken(token), createdAt: new Date() });
  return token;
}

export async function findUserByToken(token: string): Promise<User | undefined> {
  if (!token.startsWith('baton_')) return undefined;
  const row = await ApiTokenModel.findOneAndUpdate(
    { tokenHash: hashToken(token) },
    { $set: { lastUsedAt: new Date() } },
  ).lean();
  return row ? getUserById(row.userId) : undefined;
}
