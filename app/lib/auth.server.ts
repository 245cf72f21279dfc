// Who is asking: a Bearer API token (API clients, tests) or the signed session cookie (the browser).
import { redirect } from '@remix-run/node';
import { findUserByToken, getUserById, hasAnyUser, type User } from '../models/user.server';
import { sessionUserId } from './session.server';
import { apiError } from './http.server';

export interface Identity {
  user: User;
  via: 'token' | 'session';
}

/** Resolves the caller from raw headers; shared by Remix routes and the socket.io handshake. */
export async function identify(headers: {
  authorization?: string | null;
  cookie?: string | null;
  token?: string | null;
}): Promise<Identity | undefined> {
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? headers.token ?? undefined;
  if (bearer) {
    const user = await findUserByToken(bearer);
    return user ? { user, via: 'token' } : undefined;
  }
  const userId = await sessionUserId(headers.cookie);
  const user = userId ? await getUserById(userId) : undefined;
  return user ? { user, via: 'session' } : undefined;
}

function identifyRequest(request: Request) {
  return identify({ authorization: request.headers.get('Authorization'), cookie: request.headers.get('Cookie') });
}

/**
 * For `/api/*`: 401 JSON without valid credentials. Cookie-authenticated writes must also come from our
 * own origin (SameSite=Lax already blocks most cross-site posts; this closes the rest).
 */
export async function requireApiUser(request: Request): Promise<User> {
  const who = await identifyRequest(request);
  if (!who) throw apiError(401, 'Authentication required: send `Authorization: Bearer <token>` or sign in at /login.');
  if (who.via === 'session' && request.method !== 'GET' && request.method !== 'HEAD') {
    const origin = request.headers.get('Origin');
    if (origin && originHost(origin) !== new URL(request.url).host)
      throw apiError(403, `Cross-origin request from ${origin} refused.`);
  }
  return who.user;
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** For pages: redirect to /setup on a fresh install, else to /login, and come back afterwards. */
export async function requirePageUser(request: Request): Promise<User> {
  const who = await identifyRequest(request);
  if (who) return who.user;
  if (!(await hasAnyUser())) throw redirect('/setup');
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function optionalPageUser(request: Request): Promise<User | undefined> {
  return (await identifyRequest(request))?.user;
}

/** Only same-site relative paths, so /login cannot be used as an open redirect. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}
