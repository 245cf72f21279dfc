// Saved browser sessions (docs/decisions/060-browser-saved-sessions.md): a Browser node's cookies and local storage,
// per workspace and name, so a later step or run starts signed in. The state is a secret like a password, so it is
// sealed with the credential vault (db/vault-crypto.ts) bound to the session's id and workspace; only the name,
// size, sites, dates, the run that saved it and the workflows allowed to use it are stored in clear. Views never hold
// the state; `runBrowserSessions`, for activities, is the only way to open it.
import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { BROWSER_SESSION_NAME, type BrowserStorageState, type RunBrowserSessions } from '../nodes/define';
import { NodeError } from '../nodes/errors';
import { openSecrets, sealSecrets, VaultDecryptError, type SealBinding, type SealedSecrets } from './vault-crypto';
import { loadVaultKey } from './vault-key';
import { getWorkflowUnscoped, workspaceOfWorkflow } from './workflows';
import type { WorkspaceScope } from './workspaces';

export const MAX_BROWSER_SESSION_BYTES = 5 * 1024 * 1024;
/** IndexedDB of all origins, as JSON: a part of the 5 MB, capped on its own so it cannot crowd out the sign-in. */
export const MAX_BROWSER_SESSION_INDEXEDDB_BYTES = 2 * 1024 * 1024;
/** Workflows one session may be limited to. */
export const MAX_SESSION_WORKFLOWS = 100;
const SEAL_TYPE = 'browser-session';
/** Sites listed per session on the credentials page. */
const MAX_SITES = 20;

/** Who last saved a session: the run's workflow, the run and the node. */
export interface SessionSaver {
  workflowId: string;
  runId: string;
  nodeId: string;
}

export interface BrowserSessionView {
  id: string;
  name: string;
  /** Bytes of the state as JSON. */
  size: number;
  cookies: number;
  /** Cookie domains and local-storage origins' hosts, so people can tell what a session signs in to. */
  sites: string[];
  savedBy: SessionSaver;
  /** The workflows that may load and save it; empty: every workflow of the workspace. */
  allowedWorkflowIds: string[];
  /** Origins whose IndexedDB the session holds. */
  indexedDbOrigins: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
}

export type BrowserSessionErrorCode = 'invalid' | 'too-large' | 'undecryptable' | 'not-allowed';

export class BrowserSessionError extends Error {
  readonly code: BrowserSessionErrorCode;

  constructor(code: BrowserSessionErrorCode, message: string) {
    super(message);
    this.name = 'BrowserSessionError';
    this.code = code;
  }
}

interface BrowserSessionDoc {
  _id: string;
  workspaceId: string;
  name: string;
  sealed: SealedSecrets;
  size: number;
  cookies: number;
  sites: string[];
  savedBy: SessionSaver;
  /** Absent on sessions saved before the restriction existed: read as empty (all workflows). */
  allowedWorkflowIds?: string[];
  indexedDbOrigins?: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
}

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
const BrowserSessionModel =
  (mongoose.models.BrowserSession as mongoose.Model<BrowserSessionDoc>) ??
  mongoose.model<BrowserSessionDoc>(
    'BrowserSession',
    new Schema<BrowserSessionDoc>(
      {
        _id: String,
        workspaceId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        sealed: { type: Schema.Types.Mixed, required: true },
        size: { type: Number, required: true },
        cookies: { type: Number, required: true },
        sites: { type: [String], default: [] },
        savedBy: { type: Schema.Types.Mixed, required: true },
        allowedWorkflowIds: { type: [String], default: [] },
        indexedDbOrigins: { type: Number, default: 0 },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
        expiresAt: { type: Date, default: null, index: true },
      },
      { collection: 'browser_sessions', versionKey: false, minimize: false },
    ),
  );

/**
 * One document per workspace and name, so saving is a single upsert (the last save wins). The id is a hash rather
 * than the name itself, and the sealed state is bound to it: copied to another workspace or name, it does not open.
 */
function sessionId(workspaceId: string, name: string): string {
  return `bs_${createHash('sha256').update(`${workspaceId}\0${name}`).digest('hex').slice(0, 32)}`;
}

const bindingOf = (doc: Pick<BrowserSessionDoc, '_id' | 'workspaceId'>): SealBinding => ({
  workspaceId: doc.workspaceId,
  credentialId: doc._id,
  type: SEAL_TYPE,
});

export function checkedSessionName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!BROWSER_SESSION_NAME.test(trimmed)) {
    throw new BrowserSessionError(
      'invalid',
      `A session name must be 1 to 64 letters, digits, spaces, dots, dashes or underscores; got "${String(name).slice(0, 80)}"`,
    );
  }
  return trimmed;
}

function checkedState(state: BrowserStorageState): BrowserStorageState {
  if (!state || !Array.isArray(state.cookies) || !Array.isArray(state.origins)) {
    throw new BrowserSessionError('invalid', 'A browser session must hold `cookies` and `origins` lists');
  }
  return state;
}

const withIndexedDb = (state: BrowserStorageState) =>
  state.origins.filter((o) => Array.isArray(o.indexedDB) && o.indexedDB.length > 0);

/** Refuses IndexedDB past its own cap, naming the biggest origin, before anything is written. */
function checkIndexedDbSize(name: string, state: BrowserStorageState): void {
  const sizes = withIndexedDb(state).map((o) => ({
    origin: o.origin,
    size: Buffer.byteLength(JSON.stringify(o.indexedDB)),
  }));
  const total = sizes.reduce((sum, o) => sum + o.size, 0);
  if (total <= MAX_BROWSER_SESSION_INDEXEDDB_BYTES) return;
  const biggest = sizes.sort((a, b) => b.size - a.size)[0];
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  throw new BrowserSessionError(
    'too-large',
    `Browser session "${name}" holds ${mb(total)} MB of IndexedDB (${biggest.origin}: ${mb(biggest.size)} MB); at most ` +
      `${MAX_BROWSER_SESSION_INDEXEDDB_BYTES / 1024 / 1024} MB of IndexedDB can be saved. Clear the site's ` +
      'databases before saving, or save the session before the page fills them',
  );
}

function sitesOf(state: BrowserStorageState): string[] {
  const hosts = new Set<string>();
  for (const cookie of state.cookies) hosts.add(String(cookie.domain).replace(/^\./, ''));
  for (const origin of state.origins) if (URL.canParse(origin.origin)) hosts.add(new URL(origin.origin).host);
  return [...hosts].filter(Boolean).sort().slice(0, MAX_SITES);
}

function toView(doc: BrowserSessionDoc): BrowserSessionView {
  return {
    id: doc._id,
    name: doc.name,
    size: doc.size,
    cookies: doc.cookies,
    sites: [...doc.sites],
    savedBy: { workflowId: doc.savedBy.workflowId, runId: doc.savedBy.runId, nodeId: doc.savedBy.nodeId },
    allowedWorkflowIds: [...(doc.allowedWorkflowIds ?? [])],
    indexedDbOrigins: doc.indexedDbOrigins ?? 0,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    expiresAt: doc.expiresAt ?? null,
  };
}

const isExpired = (doc: Pick<BrowserSessionDoc, 'expiresAt'>, now: Date) =>
  doc.expiresAt !== null && doc.expiresAt !== undefined && doc.expiresAt.getTime() <= now.getTime();

/**
 * Refuses a workflow the session is not open to. Checked on load and on save alike: a workflow that may not sign in
 * with the session may not replace it either.
 */
async function checkAllowed(doc: Pick<BrowserSessionDoc, 'name' | 'allowedWorkflowIds'>, workflowId: string) {
  const allowed = doc.allowedWorkflowIds ?? [];
  if (allowed.length === 0 || allowed.includes(workflowId)) return;
  const workflow = await getWorkflowUnscoped(workflowId);
  const named = workflow ? `"${workflow.name}" (${workflowId})` : workflowId;
  throw new BrowserSessionError(
    'not-allowed',
    `Browser session "${doc.name}" is limited to ${allowed.length} other workflow${allowed.length === 1 ? '' : 's'}; ` +
      `workflow ${named} may not use it. Add the workflow to the session on the Credentials page, or use another ` +
      'session name',
  );
}

/** Saves (replaces) the state under `name` in the workspace. Over 5 MB is refused before anything is written. */
export async function saveBrowserSession(
  workspaceId: string,
  name: string,
  state: BrowserStorageState,
  savedBy: SessionSaver,
  opts: { expiresAt?: Date } = {},
): Promise<BrowserSessionView> {
  const checkedName = checkedSessionName(name);
  checkIndexedDbSize(checkedName, checkedState(state));
  const json = JSON.stringify(state);
  const size = Buffer.byteLength(json);
  if (size > MAX_BROWSER_SESSION_BYTES) {
    throw new BrowserSessionError(
      'too-large',
      `Browser session "${checkedName}" is ${(size / 1024 / 1024).toFixed(1)} MB; at most ` +
        `${MAX_BROWSER_SESSION_BYTES / 1024 / 1024} MB can be saved (large local storage is the usual cause)`,
    );
  }
  const id = sessionId(workspaceId, checkedName);
  const existing = await BrowserSessionModel.findOne({ _id: id }, { name: 1, allowedWorkflowIds: 1 }).lean();
  if (existing) await checkAllowed(existing, savedBy.workflowId);
  const now = new Date();
  const fields = {
    workspaceId,
    name: checkedName,
    sealed: sealSecrets({ state: json }, bindingOf({ _id: id, workspaceId }), loadVaultKey()),
    size,
    cookies: state.cookies.length,
    sites: sitesOf(state),
    savedBy: { workflowId: savedBy.workflowId, runId: savedBy.runId, nodeId: savedBy.nodeId },
    indexedDbOrigins: withIndexedDb(state).length,
    updatedAt: now,
    expiresAt: opts.expiresAt ?? null,
  };
  // The workflows allowed are people's choice: a run's save keeps them.
  const allowedWorkflowIds = existing?.allowedWorkflowIds ?? [];
  await BrowserSessionModel.collection.updateOne(
    { _id: id } as never,
    { $set: fields, $setOnInsert: { createdAt: now, allowedWorkflowIds } },
    { upsert: true },
  );
  return toView({ _id: id, createdAt: now, allowedWorkflowIds, ...fields });
}

/**
 * The state saved under `name` in the workspace, or undefined; an expired one is deleted and reads as missing. Given
 * the loading run's workflow, a session limited to other workflows is refused.
 */
export async function loadBrowserSession(
  workspaceId: string,
  name: string,
  now = new Date(),
  workflowId?: string,
): Promise<BrowserStorageState | undefined> {
  const id = sessionId(workspaceId, checkedSessionName(name));
  const doc = await BrowserSessionModel.findOne({ _id: id }).lean<BrowserSessionDoc>();
  if (!doc || doc.workspaceId !== workspaceId) return undefined;
  if (isExpired(doc, now)) {
    await BrowserSessionModel.deleteOne({ _id: id, updatedAt: doc.updatedAt });
    return undefined;
  }
  if (workflowId !== undefined) await checkAllowed(doc, workflowId);
  try {
    return JSON.parse(openSecrets(doc.sealed, bindingOf(doc), loadVaultKey()).state) as BrowserStorageState;
  } catch (err) {
    if (!(err instanceof VaultDecryptError)) throw err;
    throw new BrowserSessionError(
      'undecryptable',
      `Browser session "${doc.name}" cannot be decrypted (${err.message}); delete it on the Credentials page ` +
        'and sign in again, or give this worker the vault key it was saved with',
    );
  }
}

/** The workspace's sessions by name, expired ones left out; never their state. */
export async function listBrowserSessions(scope: WorkspaceScope, now = new Date()): Promise<BrowserSessionView[]> {
  const docs = await BrowserSessionModel.find({ workspaceId: scope.workspaceId }, { sealed: 0 }).lean<
    BrowserSessionDoc[]
  >();
  return docs
    .filter((doc) => !isExpired(doc, now))
    .map(toView)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Deletes the session saved under `name`; false when the workspace has none by that name. */
export async function deleteBrowserSession(scope: WorkspaceScope, name: string): Promise<boolean> {
  if (typeof name !== 'string' || !BROWSER_SESSION_NAME.test(name.trim())) return false;
  const id = sessionId(scope.workspaceId, name.trim());
  return (await BrowserSessionModel.deleteOne({ _id: id, workspaceId: scope.workspaceId })).deletedCount === 1;
}

/**
 * Limits the session to the given workflows of the workspace (empty: all of them). Returns the session, or undefined
 * when the workspace has none by that name; a workflow of another workspace, or a deleted one, is refused.
 */
export async function setBrowserSessionWorkflows(
  scope: WorkspaceScope,
  name: string,
  workflowIds: string[],
): Promise<BrowserSessionView | undefined> {
  if (typeof name !== 'string' || !BROWSER_SESSION_NAME.test(name.trim())) return undefined;
  const id = sessionId(scope.workspaceId, name.trim());
  // Missing first: another workspace learns nothing about this one's workflows from the error.
  if (!(await BrowserSessionModel.exists({ _id: id, workspaceId: scope.workspaceId }))) return undefined;
  const ids = [...new Set(workflowIds)];
  if (ids.length > MAX_SESSION_WORKFLOWS) {
    throw new BrowserSessionError('invalid', `A session can be limited to at most ${MAX_SESSION_WORKFLOWS} workflows`);
  }
  for (const workflowId of ids) {
    if (typeof workflowId !== 'string' || (await workspaceOfWorkflow(workflowId)) !== scope.workspaceId) {
      throw new BrowserSessionError(
        'invalid',
        `allowedWorkflowIds: ${String(workflowId).slice(0, 40)} is not a workflow of this workspace`,
      );
    }
  }
  // FerretDB's findAndModify takes no projection: an update, then a read without the state.
  const written = await BrowserSessionModel.updateOne(
    { _id: id, workspaceId: scope.workspaceId },
    { $set: { allowedWorkflowIds: ids } },
  );
  if (written.matchedCount === 0) return undefined;
  const doc = await BrowserSessionModel.findOne({ _id: id }, { sealed: 0 }).lean<BrowserSessionDoc>();
  return doc ? toView(doc) : undefined;
}

/** A deleted workspace's sessions (all of them, expired or not). */
export async function deleteBrowserSessionsOfWorkspace(workspaceId: string): Promise<number> {
  return (await BrowserSessionModel.deleteMany({ workspaceId })).deletedCount;
}

/** Housekeeping: deletes every session past its `expiresAt`. */
export async function deleteExpiredBrowserSessions(now = new Date()): Promise<number> {
  return (await BrowserSessionModel.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
}

/**
 * A run's access to its workspace's sessions (RunContext.browserSessions). The workspace comes from the workflow's
 * record, never from the plan (decision 037); store errors become the step's own, unretried errors.
 */
export function runBrowserSessions(use: SessionSaver): RunBrowserSessions {
  let workspace: Promise<string> | undefined;
  const workspaceId = () =>
    (workspace ??= workspaceOfWorkflow(use.workflowId).then((id) => {
      if (id) return id;
      throw new NodeError(`Browser sessions cannot be used: the run's workflow ${use.workflowId} was deleted.`, {
        code: 'workflow-missing',
        retryable: false,
      });
    }));
  const asNodeError = (err: unknown): never => {
    if (err instanceof BrowserSessionError) {
      throw new NodeError(`Session: ${err.message}`, { code: 'browser-session', retryable: false });
    }
    throw err;
  };
  return {
    load: async (name) => loadBrowserSession(await workspaceId(), name, new Date(), use.workflowId).catch(asNodeError),
    save: async (name, state, opts) => {
      await saveBrowserSession(await workspaceId(), name, state, use, opts).catch(asNodeError);
    },
  };
}

/** The model, for the vault key rotation (db/vault-rotation.ts). */
export { BrowserSessionModel, bindingOf as sessionSealBindingOf, type BrowserSessionDoc };
