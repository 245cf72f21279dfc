// Signed, httpOnly cookie sessions holding only the user id.
import { createCookieSessionStorage } from '@remix-run/node';
import { sessionSecret } from './secret.server';

export const SESSION_COOKIE = 'baton_session';
const MAX_AGE_S = 60 * 60 * 24 * 14;

let storage: ReturnType<typeof createCookieSessionStorage<{ userId: string }>> | undefined;

function sessionStorage() {
  storage ??= createCookieSessionStorage<{ userId: string }>({
    cookie: {
      name: SESSION_COOKIE,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: MAX_AGE_S,
      secrets: [sessionSecret()],
    },
  });
  return storage;
}

/** The user id in a signed session cookie, or undefined when absent or tampered with. */
export async function sessionUserId(cookieHeader: string | null | undefined): Promise<string | undefined> {
  if (!cookieHeader) return undefined;
  const session = await sessionStorage().getSession(cookieHeader);
  const id = session.get('userId');
  return typeof id === 'string' ? id : undefined;
}

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

export async function commitUserSession(request: Request, userId: string): Promise<string> {
  const session = await sessionStorage().getSession();
  session.set('userId', userId);
  return sessionStorage().commitSession(session, { secure: isHttps(request) });
}

export async function destroyUserSession(request: Request): Promise<string> {
  const session = await sessionStorage().getSession(request.headers.get('Cookie'));
  return sessionStorage().destroySession(session, { secure: isHttps(request) });
}
