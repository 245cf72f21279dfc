// Who is asking: a Bearer API token (API clients, tests) or the signed session cookie (the browser).
import { redirect } from '@remix-run/node';
import { getUserById, hasAnyUser, type User } from '../../db/users';
import { checkApiToken, type ApiToken } from '../../db/api-tokens';
import { sessionFromCookie } from './session.server';
import { crossSiteWriteRefusal } from './csrf.server';
import { apiError } from './http.server';
import type { TokenScope } from '../../contracts/permissions';
import { PAGE_ACTION_RULES, PAGE_RULES, type AccessRule, type PageActionRoute, type PageRoute } from './access-rules';
import { callerOf, can, chosenWorkspace, permissionRefusal, type Caller } from './caller.server';

export interface Identity {
  user: User;
  via: 'token' | 'session';
  /** For an API token: its id, the workspace it acts in and its scopes (absent on tokens made before scopes). */
  token?: { id: string; workspaceId?: string; scopes?: TokenScope[] };
}

/**
 * Resolves the caller from raw headers; shared by Remix routes and the socket.io handshake. Undefined without valid
 * credentials; an expired or revoked API token throws a 401 response that says which (its `message` says it too,
 * for the socket handshake).
 */
export async function identify(headers: {
  authorization?: string | null;
  cookie?: string | null;
  token?: string | null;
}): Promise<Identity | undefined> {
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? headers.token ?? undefined;
  if (bearer) {
    const check = await checkApiToken(bearer);
    if (!check.ok) {
      if (check.reason === 'unknown') return undefined;
      throw tokenRefusal(check.reason, check.token);
    }
    const user = await getUserById(check.token.userId);
    const { id, workspaceId, scopes } = check.token;
    return user ? { user, via: 'token', token: { id, workspaceId, scopes } } : undefined;
  }
  const session = await sessionFromCookie(headers.cookie);
  const user = session ? await getUserById(session.userId) : undefined;
  return user ? { user, via: 'session' } : undefined;
}

function tokenRefusal(reason: 'expired' | 'revoked', token: ApiToken): Response {
  const when = (reason === 'expired' ? token.expiresAt : token.revokedAt!).toISOString();
  const message = `This API token ("${token.name}") was ${reason === 'expired' ? 'valid until' : 'revoked at'} ${when}: it is ${reason}. Create a new one under Account → API tokens.`;
  return Object.assign(apiError(401, message, undefined, { reason }), { message });
}

function identifyRequest(request: Request) {
  return identify({ authorization: request.headers.get('Authorization'), cookie: request.headers.get('Cookie') });
}

/** For `/api/*`: 401 JSON without valid credentials, 403 for a cookie-authenticated write from another origin. */
export async function requireApiUser(request: Request): Promise<User> {
  const who = await identifyRequest(request);
  if (!who) throw apiError(401, 'Authentication required: send `Authorization: Bearer <token>` or sign in at /login.');
  const refusal = crossSiteWriteRefusal(request.method, (name) => request.headers.get(name));
  if (refusal) throw apiError(403, refusal);
  return who.user;
}

/**
 * For `/api/*` routes: the caller and the workspace it acts in. 401 without valid credentials, 403 for a
 * cookie-authenticated write from another origin or for a user who belongs to no workspace.
 */
export async function requireApiCaller(request: Request): Promise<Caller> {
  const who = await identifyRequest(request);
  if (!who) throw apiError(401, 'Authentication required: send `Authorization: Bearer <token>` or sign in at /login.');
  const refusal = crossSiteWriteRefusal(request.method, (name) => request.headers.get(name));
  if (refusal) throw apiError(403, refusal);
  const caller = await callerOf(who, chosenWorkspace(request.headers.get('Cookie')));
  if (!caller) throw apiError(403, noWorkspaceMessage(who));
  return caller;
}

function noWorkspaceMessage(who: Identity): string {
  return who.token?.workspaceId
    ? 'This token belongs to a workspace its holder is no longer a member of.'
    : 'You are not a member of any workspace; ask a workspace admin for an invite.';
}

/**
 * For pages: the caller, checked against the page's rule in PAGE_RULES. Without a sign-in it redirects like
 * requirePageUser; a caller whose role lacks the permission gets a 403 page naming it.
 */
export async function requirePageCaller(request: Request, page: PageRoute): Promise<Caller> {
  const who = await requirePageIdentity(request);
  const caller = await callerOf(who, chosenWorkspace(request.headers.get('Cookie')));
  if (!caller) throw new Response(noWorkspaceMessage(who), { status: 403 });
  const rule = PAGE_RULES[page] as AccessRule;
  if (rule !== 'public' && rule !== 'signed-in' && !can(caller, rule))
    throw new Response(permissionRefusal(caller, rule), { status: 403 });
  return caller;
}

/** For a page's action: the caller, checked against both the page's rule and its action's rule (PAGE_ACTION_RULES). */
export async function requirePageActionCaller(request: Request, page: PageActionRoute): Promise<Caller> {
  const caller = await requirePageCaller(request, page);
  const rule = PAGE_ACTION_RULES[page] as AccessRule;
  if (rule !== 'public' && rule !== 'signed-in' && !can(caller, rule))
    throw new Response(permissionRefusal(caller, rule), { status: 403 });
  return caller;
}

/** For pages: redirect to /setup on a fresh install, else to /login, and come back afterwards. */
export async function requirePageUser(request: Request): Promise<User> {
  return (await requirePageIdentity(request)).user;
}

async function requirePageIdentity(request: Request): Promise<Identity> {
  const who = await identifyRequest(request);
  if (who) return who;
  if (!(await hasAnyUser())) throw redirect('/setup');
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function optionalPageUser(request: Request): Promise<User | undefined> {
  return (await identifyRequest(request))?.user;
}

// What lets a browser leave our site from a path: a second slash or a backslash after the first makes it a host
// (`//evil.com`, `/\evil.com`), and URL parsers drop tabs and newlines, so `/\t/evil.com` becomes `//evil.com`.
const OFF_SITE_HINTS = /[\s\\\p{Cc}]|^\/\//u;
const SITE = 'http://baton.invalid';

/**
 * Only same-site relative paths, so /login cannot be used as an open redirect. `to` must start with one `/` and
 * show none of OFF_SITE_HINTS, also once and twice percent-decoded (a later hop may decode it again), and must
 * resolve against a stand-in origin to that origin, with no `//` path left after dot segments (`/.//evil.com`).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/')) return fallback;
  const variants = [to];
  for (let round = 0; round < 2; round++) {
    const decoded = percentDecoded(variants[round]);
    if (decoded === undefined) return fallback;
    variants.push(decoded);
  }
  if (variants.some((variant) => OFF_SITE_HINTS.test(variant))) return fallback;
  const resolved = new URL(to, SITE);
  if (resolved.origin !== SITE || resolved.pathname.startsWith('//')) return fallback;
  return to;
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
