// The Browser node's saved sessions (docs/decisions/060): the context starts from the state saved under the node's
// Session, and saves it back after a successful run (or always, or never), or when a "Save session now" step says.
// The state holds cookies, local storage and IndexedDB (Playwright reads and restores all three).
// The state goes between the browser and ctx.browserSessions only: never into the output, logs or step records.
import type { BrowserStorageState, RunContext } from '../define';
import { NodeError } from '../errors';
import type { SAVE_SESSION_MODES } from './spec';

export interface SessionParams {
  session?: string;
  saveSession?: (typeof SAVE_SESSION_MODES)[number];
  sessionExpiresInHours?: number;
}

function sessionsOf(ctx: RunContext) {
  if (!ctx.browserSessions) {
    throw new NodeError('Session: saved browser sessions cannot be used where this node runs', {
      code: 'browser-session',
      retryable: false,
    });
  }
  return ctx.browserSessions;
}

/** What holds the browser state: a Playwright context, or the Puppeteer engine's adapter (puppeteer/sessions.ts). */
export interface StateSource {
  storageState(options: { indexedDB: boolean }): Promise<unknown>;
}

const nameOf = (params: SessionParams) => params.session?.trim() ?? '';

/** The saved state the context starts from: none without a Session, or when nothing is saved under it yet. */
export async function startingState(ctx: RunContext, params: SessionParams): Promise<BrowserStorageState | undefined> {
  const name = nameOf(params);
  if (name === '') return undefined;
  const state = await sessionsOf(ctx).load(name);
  ctx.log.info(state ? 'Browser starts from a saved session' : 'No saved session yet; the browser starts empty', {
    session: name,
  });
  return state;
}

/** Saves the context's cookies, local storage and IndexedDB under `name` (a step's target), else the node's Session. */
export async function saveSessionNow(
  ctx: RunContext,
  params: SessionParams,
  context: StateSource,
  name = '',
): Promise<void> {
  const target = name.trim() || nameOf(params);
  if (target === '') throw new Error('no session name: set the node’s Session, or give the name as the target');
  const hours = params.sessionExpiresInHours;
  const expiresAt = hours ? new Date(Date.now() + hours * 3_600_000) : undefined;
  const state = (await context.storageState({ indexedDB: true })) as BrowserStorageState;
  await sessionsOf(ctx).save(target, state, expiresAt ? { expiresAt } : {});
}

/**
 * The save at the end of an execution, when the node's Session and its "Save the session" mode ask for one. After a
 * failure it is best effort (the browser may be gone): the step's own error is the one that matters.
 */
export async function saveSessionAtEnd(
  ctx: RunContext,
  params: SessionParams,
  context: StateSource,
  succeeded: boolean,
): Promise<void> {
  const mode = params.saveSession ?? 'success';
  if (nameOf(params) === '' || mode === 'never' || (mode === 'success' && !succeeded)) return;
  if (succeeded) return saveSessionNow(ctx, params, context);
  await saveSessionNow(ctx, params, context).catch((err: unknown) =>
    ctx.log.warn('The session could not be saved after the failure', {
      session: nameOf(params),
      reason: (err as Error)?.message?.split('\n')[0],
    }),
  );
}
