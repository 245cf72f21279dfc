// A user's own account: password change, API tokens and sign-in sessions. The JSON API and the Account page both
// call these, so each rule (no token with more scope than its maker, current password required) and each audit
// entry lives once. Refusals are thrown as JSON error responses (http.server.ts's shape).
import { z } from 'zod';
import { TOKEN_SCOPES } from '../../contracts/permissions';
import {
  createApiToken,
  getApiToken,
  listApiTokens,
  DEFAULT_TOKEN_DAYS,
  MAX_TOKEN_DAYS,
  revokeApiToken,
  type ApiToken,
} from '../../db/api-tokens';
import { recordAudit, type AuditAction } from '../../db/audit';
import { listSessions, revokeSession, revokeSessionsOf, type Session } from '../../db/sessions';
import { passwordIsCurrent, setPassword } from '../../db/users';
import type { Caller } from './caller.server';
import { apiError } from './http.server';
import { grantableScopes } from './token-scopes';

const DAY = 24 * 60 * 60_000;

export const newPasswordSchema = z
  .string()
  .min(8, 'Use at least 8 characters.')
  .max(200, 'Use at most 200 characters.');

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(200),
  newPassword: newPasswordSchema,
});

export const tokenSchema = z.object({
  name: z.string().trim().min(1, 'Name the token.').max(100),
  /** Omitted: the maker's own scopes (a token) or all its role can use (a session). */
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'Choose at least one scope.').optional(),
  /** ISO time within a year; omitted: in 90 days. */
  expiresAt: z.coerce.date().optional(),
});

/** Who did it and from where, for the audit entry. */
export interface Acting {
  caller: Caller;
  ip: string;
  /** The browser session the request came with (kept on a password change). */
  sessionId?: string;
}

const actorOf = ({ caller }: Acting) => ({ id: caller.user.id, name: caller.user.name, via: caller.via });

function audit(
  acting: Acting,
  action: AuditAction,
  target: { kind: string; id: string; name?: string },
  change?: object,
) {
  return recordAudit({
    workspaceId: acting.caller.scope.workspaceId,
    actor: actorOf(acting),
    action,
    target,
    ip: acting.ip,
    ...(change ? { change: change as Record<string, unknown> } : {}),
  });
}

/** Changes the caller's password and signs out their other sessions (all of them, for a token caller). */
export async function changePassword(acting: Acting, input: z.output<typeof passwordChangeSchema>): Promise<number> {
  const { user } = acting.caller;
  if (!(await passwordIsCurrent(user.id, input.currentPassword)))
    throw apiError(403, 'currentPassword: that is not your current password.');
  await setPassword(user.id, input.newPassword);
  const keep = acting.caller.via === 'session' ? acting.sessionId : undefined;
  const revoked = await revokeSessionsOf(user.id, keep);
  await audit(
    acting,
    'auth.password-change',
    { kind: 'user', id: user.id, name: user.name },
    { otherSessionsEnded: revoked },
  );
  return revoked;
}

export interface TokenView {
  id: string;
  name: string;
  scopes: string[];
  workspaceId?: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
  status: 'active' | 'expired' | 'revoked';
}

export const tokenView = (token: ApiToken, now = Date.now()): TokenView => ({
  id: token.id,
  name: token.name,
  scopes: token.scopes,
  ...(token.workspaceId ? { workspaceId: token.workspaceId } : {}),
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt.toISOString(),
  ...(token.lastUsedAt ? { lastUsedAt: token.lastUsedAt.toISOString() } : {}),
  ...(token.revokedAt ? { revokedAt: token.revokedAt.toISOString() } : {}),
  status: token.revokedAt ? 'revoked' : token.expiresAt.getTime() <= now ? 'expired' : 'active',
});

export async function tokenList(caller: Caller): Promise<TokenView[]> {
  const now = Date.now();
  return (await listApiTokens(caller.user.id)).map((token) => tokenView(token, now));
}

/**
 * Mints a token for the caller in the workspace it acts in. A token caller gets at most its own scopes and no
 * longer life than its own; a session caller at most what its role can use.
 */
export async function mintToken(
  acting: Acting,
  input: z.output<typeof tokenSchema>,
): Promise<{ token: string; apiToken: TokenView }> {
  const { caller } = acting;
  const grantable = grantableScopes(caller.scope.role, caller.tokenScopes);
  const scopes = input.scopes ?? grantable;
  const excess = scopes.filter((scope) => !grantable.includes(scope));
  if (excess.length || scopes.length === 0)
    throw apiError(
      403,
      `scopes: you may grant ${grantable.join(', ') || 'no scope'} (${
        caller.tokenScopes ? 'a token never grants more than its own scopes' : `what a ${caller.scope.role} can use`
      }), not ${excess.join(', ') || 'an empty set'}.`,
    );
  const now = Date.now();
  const yearOut = now + MAX_TOKEN_DAYS * DAY;
  const parent = caller.tokenId ? await getApiToken(caller.user.id, caller.tokenId) : undefined;
  const latest = Math.min(yearOut, parent?.expiresAt.getTime() ?? Infinity);
  const expiresAt = input.expiresAt ?? new Date(Math.min(latest, now + DEFAULT_TOKEN_DAYS * DAY));
  if (expiresAt.getTime() <= now) throw apiError(400, 'expiresAt: must be in the future.');
  if (expiresAt.getTime() > latest)
    throw apiError(
      400,
      `expiresAt: must be no later than ${new Date(latest).toISOString()} (${
        latest < yearOut ? 'when the token you are using expires' : `${MAX_TOKEN_DAYS} days from now`
      }).`,
    );
  const { token, apiToken } = await createApiToken({
    userId: caller.user.id,
    workspaceId: caller.scope.workspaceId,
    name: input.name,
    scopes,
    expiresAt,
  });
  await audit(
    acting,
    'token.create',
    { kind: 'api-token', id: apiToken.id, name: apiToken.name },
    { scopes: apiToken.scopes, expiresAt: apiToken.expiresAt.toISOString() },
  );
  return { token, apiToken: tokenView(apiToken) };
}

export async function revokeToken(acting: Acting, id: string): Promise<TokenView> {
  const { user } = acting.caller;
  const before = await getApiToken(user.id, id);
  if (!before) throw apiError(404, `You have no API token ${id}.`);
  const after = (await revokeApiToken(user.id, id))!;
  if (!before.revokedAt)
    await audit(acting, 'token.revoke', { kind: 'api-token', id, name: before.name }, { scopes: before.scopes });
  return tokenView(after);
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip?: string;
  userAgent?: string;
  /** The session this request came with. */
  current: boolean;
}

const sessionView = (session: Session, currentId?: string): SessionView => ({
  id: session.id,
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  ...(session.ip ? { ip: session.ip } : {}),
  ...(session.userAgent ? { userAgent: session.userAgent } : {}),
  current: session.id === currentId,
});

export async function sessionList(acting: Acting): Promise<SessionView[]> {
  return (await listSessions(acting.caller.user.id)).map((s) => sessionView(s, acting.sessionId));
}

export async function endSession(acting: Acting, id: string): Promise<void> {
  const { user } = acting.caller;
  if (!(await revokeSession(user.id, id))) throw apiError(404, `You have no session ${id}.`);
  await audit(acting, 'session.revoke', { kind: 'session', id }, { userId: user.id });
}

/** Ends every session of the caller but the one this request came with; returns how many. */
export async function endOtherSessions(acting: Acting): Promise<number> {
  const { caller } = acting;
  const keep = caller.via === 'session' ? acting.sessionId : undefined;
  const ended = await revokeSessionsOf(caller.user.id, keep);
  await audit(
    acting,
    'session.revoke',
    { kind: 'user', id: caller.user.id, name: caller.user.name },
    { sessionsEnded: ended, keptCurrent: keep !== undefined },
  );
  return ended;
}
