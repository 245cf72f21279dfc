// Sign in with email and password; comes back to where the visitor was going.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { optionalPageUser, safeRedirect } from '../lib/auth.server';
import { readForm } from '../lib/forms.server';
import {
  recordFailure,
  resetFailures,
  retryAfterSeconds,
  throttledMessage,
  throttleKey,
} from '../lib/login-throttle.server';
import { commitUserSession } from '../lib/session.server';
import { auditFailedSignIn, auditSession } from '../lib/sign-in-audit.server';
import { hasAnyUser, verifyLogin } from '../../db/users';

export const meta: MetaFunction = () => [{ title: 'Sign in · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await hasAnyUser())) throw redirect('/setup');
  if (await optionalPageUser(request))
    throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

// Document responses only carry the headers a route passes on; this one tells a throttled client when to retry.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  const key = throttleKey('login', email, context.clientIp);
  // Checked before the password, so that a locked-out guesser learns nothing, not even a right guess.
  const wait = retryAfterSeconds(key);
  if (wait) return data({ error: throttledMessage(wait) }, { status: 429, headers: { 'Retry-After': String(wait) } });
  const user = email && password ? await verifyLogin(email, password) : undefined;
  if (!user) {
    recordFailure(key);
    await auditFailedSignIn(email, context.clientIp);
    return { error: 'That email and password do not match an account.' };
  }
  resetFailures(key);
  const cookie = await commitUserSession(request, user.id, context.clientIp);
  await auditSession('auth.sign-in', user, request, context.clientIp);
  return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  return (
    <main className="center-page">
      <div className="card narrow">
        <div className="auth-brand">
          <BrandMark /> Baton
        </div>
        <div>
          <h1>Sign in</h1>
          <p className="muted">Welcome back. Your workflows are waiting.</p>
        </div>
        {actionData?.error && <div className="banner error">{actionData.error}</div>}
        <Form method="post" className="auth-form">
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" className="input" name="email" type="email" autoComplete="email" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              className="input"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? <span className="spinner" /> : null} Sign in
          </button>
        </Form>
      </div>
    </main>
  );
}
