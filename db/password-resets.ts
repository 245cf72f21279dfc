// Admin-issued password reset links: single use, one hour, stored as the sha256 of the link's token.
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

export const RESET_LINK_MINUTES = 60;

export interface PasswordReset {
  userId: string;
  /** The workspace whose admin issued it (where the reset is audited). */
  workspaceId: string;
  issuedBy: string;
  createdAt: Date;
  expiresAt: Date;
}

interface PasswordResetDoc extends PasswordReset {
  _id: string;
}

const PasswordResetModel =
  (mongoose.models.PasswordReset as mongoose.Model<PasswordResetDoc>) ??
  mongoose.model<PasswordResetDoc>(
    'PasswordReset',
    new Schema<PasswordResetDoc>(
      {
        _id: String,
        userId: { type: String, required: true, index: true },
        workspaceId: { type: String, required: true },
        issuedBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
      },
      { collection: 'password_resets', versionKey: false },
    ),
  );

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const validToken = (token: string) => /^[\w-]{43}$/.test(token);

const toReset = (doc: PasswordResetDoc): PasswordReset => ({
  userId: doc.userId,
  workspaceId: doc.workspaceId,
  issuedBy: doc.issuedBy,
  createdAt: doc.createdAt,
  expiresAt: doc.expiresAt,
});

/** Issues a reset for the user, replacing any earlier one; returns the token for the link, shown once. */
export async function issuePasswordReset(input: {
  userId: string;
  workspaceId: string;
  issuedBy: string;
}): Promise<{ token: string; reset: PasswordReset }> {
  await PasswordResetModel.deleteMany({ userId: input.userId });
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const doc: PasswordResetDoc = {
    _id: hashOf(token),
    ...input,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
  };
  await PasswordResetModel.collection.insertOne(doc as never);
  return { token, reset: toReset(doc) };
}

/** The reset a link's token opens, without using it up (the page shows the form); undefined when used or expired. */
export async function peekPasswordReset(token: string): Promise<PasswordReset | undefined> {
  if (!validToken(token)) return undefined;
  const doc = await PasswordResetModel.findOne({ _id: hashOf(token) }).lean();
  return doc && doc.expiresAt.getTime() > Date.now() ? toReset(doc) : undefined;
}

/** Uses the reset up: of two concurrent uses one gets it. Undefined when used, replaced or expired. */
export async function consumePasswordReset(token: string): Promise<PasswordReset | undefined> {
  if (!validToken(token)) return undefined;
  const doc = await PasswordResetModel.findOneAndDelete({ _id: hashOf(token) }).lean();
  return doc && doc.expiresAt.getTime() > Date.now() ? toReset(doc) : undefined;
}
