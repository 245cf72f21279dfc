// The page behind an admin-issued reset link: choose a new password. The link works once and for one hour; using it
// ends every session of the account and signs this browser in.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { newPasswordSchema } from '../lib/account.server';
import { readForm } from '../lib/forms.server';
import { resetPassword } from '../lib/member-access.server';
import { commitUserSession } from '../lib/session.server';
import { auditSession } from '../lib/sign-in-audit.server';
import { peekPasswordReset } from '../../db/password-resets';
import { getUserById } from '../../db/users';

export const meta: MetaFunction = () => [{ title: 'Reset your password · Baton' }];

const USED_OR_EXPIRED =
  'This reset link has been used, replaced by a newer one, or has expired (links last one hour). Ask your workspace admin for a new one.';

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await peekPasswordReset(params.token ?? '');
  const user = reset && (await getUserById(reset.userId));
  return user ? { valid: true as const, email: user.email } : { valid: false as const };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const password = newPasswordSchema.safeParse(form.get('password'));
  if (!password.success) return { error: `password: ${password.error.issues[0].message}` };
  if (form.get('password') !== form.get('confirmPassword'))
    return { error: 'confirmPassword: the two passwords differ.' };
  const user = await resetPassword(params.token ?? '', password.data, context.clientIp);
  if (!user) return data({ error: USED_OR_EXPIRED }, { status: 410 });
  const cookie = await commitUserSession(request, user.id, context.clientIp);
  await auditSession('auth.sign-in', user, request, context.clientIp);
  return redirect('/', { headers: { 'Set-Cookie': cookie } });
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <main className="center-page">
      <div className="card narrow">
        <div className="auth-brand">
          <BrandMark /> Baton
        </div>
        <div>
          <h1>Choose a new password</h1>
          {loaded.valid && <p className="muted">For {loaded.email}. Every other sign-in of this account ends.</p>}
        </div>
        {!loaded.valid ? (
          <>
            <div className="banner error" role="alert">
              {USED_OR_EXPIRED}
            </div>
            <Link to="/login" className="btn">
              Go to sign in
            </Link>
          </>
        ) : (
          <>
            {result?.error && (
              <div className="banner error" role="alert">
                {result.error}
              </div>
            )}
            <Form method="post" className="auth-form">
              <input type="hidden" name="username" value={loaded.email} autoComplete="username" />
              <div className="field">
                <label htmlFor="password">New password</label>
                <input
                  id="password"
                  className="input"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  minLength={8}
                  required
                  autoFocus
                />
                <span className="hint">At least 8 characters.</span>
              </div>
              <div className="field">
                <label htmlFor="confirmPassword">New password again</label>
                <input
                  id="confirmPassword"
                  className="input"
                  name="confirmPassword"
                  type="password"
                  autoComplete="new-password"
                  minLength={8}
                  required
                />
              </div>
              <button className="btn primary" type="submit" disabled={busy}>
                {busy ? <span className="spinner" /> : null} Set password and sign in
              </button>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
