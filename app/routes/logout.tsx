// POST /logout ends the session (a GET cannot, so a link elsewhere cannot sign anyone out).
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { destroyUserSession } from '../lib/session.server';

export async function action({ request }: ActionFunctionArgs) {
  return redirect('/login', { headers: { 'Set-Cookie': await destroyUserSession(request) } });
}

export async function loader() {
  return redirect('/');
}
