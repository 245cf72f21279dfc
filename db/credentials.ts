// Credentials, one workspace each (docs/decisions/037-credential-vault.md). Non-secret fields are stored in clear;
// secret fields only inside a sealed envelope (db/vault-crypto.ts) bound to the credential's id, workspace and type.
// Functions that serve callers take a `WorkspaceScope` and return views that say which secrets are set, never what
// they are; only `decryptCredential`, for activities, opens the envelope.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { SECRET_IN_PLAN } from '../nodes/define';
import {
  isDestinationField,
  type CredentialType,
  secretFieldNames,
  validateCredentialValues,
  type FieldIssue,
} from '../nodes/credentials/define';
import { credentialType } from '../nodes/credentials/index';
import { openSecrets, sealSecrets, VaultDecryptError, type SealBinding, type SealedSecrets } from './vault-crypto';
import { loadVaultKey, type VaultKey } from './vault-key';
import type { WorkspaceScope } from './workspaces';

export interface CredentialView {
  id: string;
  workspaceId: string;
  name: string;
  type: string;
  /** The non-secret fields. */
  fields: Record<string, unknown>;
  /** Each secret field of the type, and whether a value is stored for it. */
  secretFields: Record<string, 'set' | 'empty'>;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

/** Every field, secrets included, for the activity that uses the credential. */
export interface DecryptedCredential {
  id: string;
  name: string;
  type: string;
  values: Record<string, unknown>;
}

export type CredentialErrorCode = 'invalid' | 'not-found' | 'conflict' | 'undecryptable';

export class CredentialError extends Error {
  readonly code: CredentialErrorCode;
  /** For `invalid`: the fields at fault. */
  readonly issues: FieldIssue[];

  constructor(code: CredentialErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'CredentialError';
    this.code = code;
    this.issues = issues;
  }
}

interface CredentialDoc {
  _id: string;
  workspaceId: string;
  name: string;
  type: string;
  fields: Record<string, unknown>;
  /** Names of the secret fields that hold a value; lets views answer without decrypting. */
  secretsSet: string[];
  sealed: SealedSecrets;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const CredentialModel =
  (mongoose.models.Credential as mongoose.Model<CredentialDoc>) ??
  mongoose.model<CredentialDoc>(
    'Credential',
    new Schema<CredentialDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        type: { type: String, required: true },
        fields: { type: Schema.Types.Mixed, default: {} },
        secretsSet: { type: [String], default: [] },
        sealed: { type: Schema.Types.Mixed, required: true },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        createdBy: { type: String, required: true },
        updatedBy: { type: String, required: true },
      },
      { collection: 'credentials', versionKey: false, minimize: false },
    ),
  );

export const MAX_CREDENTIAL_NAME = 200;

const bindingOf = (doc: Pick<CredentialDoc, '_id' | 'workspaceId' | 'type'>): SealBinding => ({
  workspaceId: doc.workspaceId,
  credentialId: doc._id,
  type: doc.type,
});

function toView(doc: CredentialDoc): CredentialView {
  const type = credentialType(doc.type);
  const names = type ? secretFieldNames(type) : doc.secretsSet;
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    name: doc.name,
    type: doc.type,
    fields: { ...doc.fields },
    secretFields: Object.fromEntries(names.map((n) => [n, doc.secretsSet.includes(n) ? 'set' : 'empty'])),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    createdBy: doc.createdBy,
    updatedBy: doc.updatedBy,
  };
}

function checkedName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed === '' || trimmed.length > MAX_CREDENTIAL_NAME) {
    const message = `Name must be 1 to ${MAX_CREDENTIAL_NAME} characters`;
    throw new CredentialError('invalid', message, [{ field: 'name', message }]);
  }
  return trimmed;
}

/** Validated values, split into what is stored in clear and what is sealed. */
function splitValues(typeName: string, values: Record<string, unknown>) {
  const type = credentialType(typeName);
  if (!type) {
    const message = `Unknown credential type "${typeName}"`;
    throw new CredentialError('invalid', message, [{ field: 'type', message }]);
  }
  const checked = validateCredentialValues(type, values);
  if (!checked.ok) {
    throw new CredentialError('invalid', checked.issues.map((i) => i.message).join('; '), checked.issues);
  }
  const secretNames = new Set(secretFieldNames(type));
  const fields: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(checked.values)) {
    if (!secretNames.has(name)) fields[name] = value;
    else if (typeof value === 'string' && value !== '') secrets[name] = value;
  }
  return { fields, secrets };
}

/** Reads by `_id`, then checks the workspace (decision 036): another workspace's credential reads as missing. */
async function findInWorkspace(workspaceId: string, id: string): Promise<CredentialDoc | undefined> {
  if (typeof id !== 'string' || id.length > 100) return undefined;
  const doc = await CredentialModel.findOne({ _id: id }).lean<CredentialDoc>();
  return doc && doc.workspaceId === workspaceId ? doc : undefined;
}

function open(doc: CredentialDoc, key: VaultKey): Record<string, string> {
  try {
    return openSecrets(doc.sealed, bindingOf(doc), key);
  } catch (err) {
    if (!(err instanceof VaultDecryptError)) throw err;
    const hint =
      doc.sealed?.keyId && doc.sealed.keyId !== key.id
        ? ` This process has vault key ${key.id}: give it the key with id ${doc.sealed.keyId} (BATON_ENCRYPTION_KEY ` +
          'or the key file; rotate-key keeps the old one as vault.key.<id>.bak), then run `baton credentials rotate-key`.'
        : ' Re-enter its secret fields.';
    throw new CredentialError(
      'undecryptable',
      `Credential "${doc.name}" (${doc._id}) cannot be decrypted: ${err.message}.${hint}`,
    );
  }
}

export async function createCredential(
  scope: WorkspaceScope,
  input: { name: string; type: string; values: Record<string, unknown> },
): Promise<CredentialView> {
  const name = checkedName(input.name);
  const { fields, secrets } = splitValues(input.type, input.values);
  const now = new Date();
  const id = `cred_${randomUUID()}`;
  const binding = { workspaceId: scope.workspaceId, credentialId: id, type: input.type };
  const doc: CredentialDoc = {
    _id: id,
    workspaceId: scope.workspaceId,
    name,
    type: input.type,
    fields,
    secretsSet: Object.keys(secrets),
    sealed: sealSecrets(secrets, binding, loadVaultKey()),
    createdAt: now,
    updatedAt: now,
    createdBy: scope.userId,
    updatedBy: scope.userId,
  };
  await CredentialModel.collection.insertOne(doc as never);
  return toView(doc);
}

/**
 * Changes a credential. `values` holds the fields to change: a non-secret field given as '' is cleared, a secret
 * field left blank ('', absent or `[secret]`) keeps its stored value, and `clear` names secret fields to empty. Fails with
 * `conflict` when someone else changed it since it was read.
 */
export async function updateCredential(
  scope: WorkspaceScope,
  id: string,
  input: { name?: string; values?: Record<string, unknown>; clear?: string[] },
): Promise<CredentialView | undefined> {
  const doc = await findInWorkspace(scope.workspaceId, id);
  if (!doc) return undefined;
  const key = loadVaultKey();
  const stored: Record<string, unknown> = { ...doc.fields, ...open(doc, key) };
  const type = credentialType(doc.type);
  const secretNames = new Set(type ? secretFieldNames(type) : doc.secretsSet);
  for (const [field, value] of Object.entries(input.values ?? {})) {
    // A form that echoes the `[secret]` placeholder back means "unchanged", like a blank.
    if (secretNames.has(field) && (value === '' || value === undefined || value === SECRET_IN_PLAN)) continue;
    if (value === '') delete stored[field];
    else stored[field] = value;
  }
  for (const field of input.clear ?? []) delete stored[field];
  const { fields, secrets } = splitValues(doc.type, stored);
  if (type) refuseMovedSecrets(type, doc, fields, Object.keys(secrets), input.values ?? {});
  const next: CredentialDoc = {
    ...doc,
    name: input.name === undefined ? doc.name : checkedName(input.name),
    fields,
    secretsSet: Object.keys(secrets),
    sealed: sealSecrets(secrets, bindingOf(doc), key),
    updatedAt: new Date(),
    updatedBy: scope.userId,
  };
  const result = await CredentialModel.collection.replaceOne({ _id: id, updatedAt: doc.updatedAt } as never, next);
  if (result.matchedCount === 0) {
    throw new CredentialError(
      'conflict',
      `Credential "${doc.name}" was changed or deleted meanwhile; reload it and try again.`,
    );
  }
  return toView(next);
}

/**
 * A change of where the secrets go (host, port, URL) must come with the secrets themselves: otherwise anyone who may
 * edit the credential, without knowing its password, could point it at their own server and receive the password on
 * the next run or connection test.
 */
function refuseMovedSecrets(
  type: CredentialType,
  doc: CredentialDoc,
  fields: Record<string, unknown>,
  secretsAfter: string[],
  values: Record<string, unknown>,
): void {
  const moved = Object.keys(type.fields).filter(
    (name) => isDestinationField(type.fields[name]) && String(doc.fields[name] ?? '') !== String(fields[name] ?? ''),
  );
  if (moved.length === 0) return;
  const given = (name: string) => {
    const value = values[name];
    return typeof value === 'string' && value !== '' && value !== SECRET_IN_PLAN;
  };
  const kept = secretsAfter.filter((name) => doc.secretsSet.includes(name) && !given(name));
  if (kept.length === 0) return;
  const label = (name: string) => type.fields[name]?.ui.label ?? name;
  throw new CredentialError(
    'invalid',
    `Changing ${moved.map(label).join(', ')} sends the stored secrets somewhere else: enter ` +
      `${kept.map(label).join(', ')} again (or clear ${kept.length === 1 ? 'it' : 'them'}).`,
    kept.map((name) => ({ field: name, message: `enter it again: ${moved.map(label).join(', ')} changed` })),
  );
}

export async function getCredential(scope: WorkspaceScope, id: string): Promise<CredentialView | undefined> {
  const doc = await findInWorkspace(scope.workspaceId, id);
  return doc ? toView(doc) : undefined;
}

/** The workspace's credentials by name, optionally of one type (a node's credential picker). */
export async function listCredentials(
  scope: WorkspaceScope,
  filter: { type?: string } = {},
): Promise<CredentialView[]> {
  const docs = await CredentialModel.find({ workspaceId: scope.workspaceId }).lean<CredentialDoc[]>();
  return docs
    .filter((doc) => filter.type === undefined || doc.type === filter.type)
    .map(toView)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function deleteCredential(scope: WorkspaceScope, id: string): Promise<boolean> {
  const doc = await findInWorkspace(scope.workspaceId, id);
  if (!doc) return false;
  return (await CredentialModel.deleteOne({ _id: doc._id })).deletedCount === 1;
}

/**
 * Every field of a credential, secrets in clear. For activities only, inside the step that uses it: the values
 * must not be returned, logged or stored. `workspaceId` is the run's workspace.
 */
export async function decryptCredential(workspaceId: string, id: string): Promise<DecryptedCredential> {
  const doc = await findInWorkspace(workspaceId, id);
  if (!doc) {
    throw new CredentialError(
      'not-found',
      `Credential ${id} does not exist in this workspace (deleted, or the workflow came from another workspace); ` +
        'pick a credential in the node.',
    );
  }
  return { id: doc._id, name: doc.name, type: doc.type, values: { ...doc.fields, ...open(doc, loadVaultKey()) } };
}

/** The model, for the vault key rotation (db/vault-rotation.ts). */
export { CredentialModel, bindingOf as sealBindingOf, type CredentialDoc };
