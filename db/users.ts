// Users and their password hashes: argon2id; scrypt hashes from before it still verify and are replaced with
// argon2id on the next successful sign-in (docs/decisions/038-sessions-and-tokens.md). API tokens: db/api-tokens.ts.
import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

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

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. `Algorithm` is a const enum the package does not export
// at run time, so its value (Argon2id = 2) is written here.
const ARGON2ID = 2 as Algorithm;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2_OPTIONS);
}

async function scryptMatches(password: string, stored: string): Promise<boolean> {
  const [, saltB64, hashB64] = stored.split('$');
  if (!saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) return argon2Verify(stored, password).catch(() => false);
  if (stored.startsWith('scrypt$')) return scryptMatches(password, stored);
  return false;
}

let decoyHash: Promise<string> | undefined;
/** Spends the time a real check takes, so that a response's timing does not tell whether an email has an account. */
async function spendCheckTime(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password, never matched');
  await argon2Verify(await decoyHash, password).catch(() => false);
}

export async function hasAnyUser(): Promise<boolean> {
  return (await UserModel.countDocuments().limit(1)) > 0;
}

/** First-run setup: creates the owner exactly once, even when two requests race. */
export async function createOwner(input: { email: string; name: string; password: string }): Promise<User> {
  if (await hasAnyUser()) throw new SetupAlreadyDoneError();
  try {
    await SetupLockModel.create({ _id: 'owner', at: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw new SetupAlreadyDoneError();
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
    if (isDuplicateKey(err)) throw new EmailTakenError(email);
    throw err;
  }
}

export async function getUserByEmail(email: string): Promise<User | undefined> {
  const doc = await UserModel.findOne({ email: normalizeEmail(email) }).lean();
  return doc ? toUser(doc) : undefined;
}

/** The user whose email and password these are; an old scrypt hash is replaced by an argon2id one on success. */
export async function verifyLogin(email: string, password: string): Promise<User | undefined> {
  const doc = await UserModel.findOne({ email: normalizeEmail(email) }).lean();
  if (!doc) {
    await spendCheckTime(password);
    return undefined;
  }
  if (!(await passwordMatches(password, doc.passwordHash))) return undefined;
  if (!doc.passwordHash.startsWith('$argon2id$')) {
    await UserModel.updateOne(
      { _id: doc._id, passwordHash: doc.passwordHash },
      { $set: { passwordHash: await hashPassword(password) } },
    );
  }
  return toUser(doc);
}

/** Whether `password` is the user's current one (a password change asks for it). */
export async function passwordIsCurrent(userId: string, password: string): Promise<boolean> {
  if (!mongoose.isValidObjectId(userId)) return false;
  const doc = await UserModel.findById(userId, { passwordHash: 1 }).lean();
  return doc ? passwordMatches(password, doc.passwordHash) : false;
}

/** Replaces the user's password (change or reset); the caller revokes sessions and records the audit entry. */
export async function setPassword(userId: string, password: string): Promise<void> {
  await UserModel.updateOne({ _id: userId }, { $set: { passwordHash: await hashPassword(password) } });
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
