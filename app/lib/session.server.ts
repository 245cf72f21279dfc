// The browser's session cookie: signed, httpOnly, holding only the secret of a server-side session (db/sessions.ts).
// Cookies of the old format (a signed user id) parse to something else and are ignored, so those browsers sign in
// again (docs/decisions/038-sessions-and-tokens.md).
import { createCookie, type Cookie } from '@remix-run/node';
import { createSession, sessionBySecret, sessionIdOf, sessionLimits, type Session } from '../../db/sessions';
import { sessionSecret } from './secret.server';

export const SESSION_COOKIE = 'baton_session';

let cookie: Cookie | undefined;
function sessionCookie(): Cookie {
  cookie ??= createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secrets: [sessionSecret()],
  });
  return cookie;
}

/** The session secret in a signed cookie, or undefined when absent, tampered with or of the old format. */
async function secretIn(cookieHeader: string | null | undefined): Promise<string | undefined> {
  if (!cookieHeader) return undefined;
  const value: unknown = await sessionCookie().parse(cookieHeader);
  return typeof value === 'string' && /^[\w-]{43}$/.test(value) ? value : undefined;
}

/** The live session the request's cookie opens, if any. */
export async function sessionFromCookie(cookieHeader: string | null | undefined): Promise<Session | undefined> {
  const secret = await secretIn(cookieHeader);
  return secret ? sessionBySecret(secret) : undefined;
}

/** The id of the session the cookie names (live or not), to tell "this browser" apart in lists. */
export async function sessionIdFromCookie(cookieHeader: string | null | undefined): Promise<string | undefined> {
  const secret = await secretIn(cookieHeader);
  return secret ? sessionIdOf(secret) : undefined;
}

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

/** Starts a session for the user and returns the `Set-Cookie` value that hands it to the browser. */
export async function commitUserSession(request: Request, userId: string, ip?: string): Promise<string> {
  const { secret } = await createSession(userId, {
    ip,
    userAgent: request.headers.get('User-Agent') ?? undefined,
  });
  return sessionCookie().serialize(secret, {
    secure: isHttps(request),
    maxAge: Math.floor(sessionLimits().maxMs / 1000),
  });
}

/** The `Set-Cookie` value that removes the session cookie (the caller deletes the session itself). */
export async function clearedSessionCookie(request: Request): Promise<string> {
  return sessionCookie().serialize('', { secure: isHttps(request), maxAge: 0, expires: new Date(0) });
}
