// POST /logout ends the session, server-side too (a GET cannot, so a link elsewhere cannot sign anyone out).
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { clearedSessionCookie, sessionFromCookie } from '../lib/session.server';
import { auditSession } from '../lib/sign-in-audit.server';
import { revokeSession } from '../../db/sessions';
import { getUserById } from '../../db/users';

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await sessionFromCookie(request.headers.get('Cookie'));
  const user = session && (await getUserById(session.userId));
  if (session) await revokeSession(session.userId, session.id);
  if (user) await auditSession('auth.sign-out', user, request, context.clientIp);
  return redirect('/login', { headers: { 'Set-Cookie': await clearedSessionCookie(request) } });
}

export async function loader() {
  return redirect('/');
}
