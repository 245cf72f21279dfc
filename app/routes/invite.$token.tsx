// An invite link: the invitee sets a name and password (or, signed in with the invited email, joins with their
// account), becomes a member with the invite's role and lands in that workspace, signed in. The link is its own
// credential; a used, expired or withdrawn link shows why it no longer works.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useParams } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { optionalPageUser } from '../lib/auth.server';
import { workspaceCookie } from '../lib/caller.server';
import { readForm } from '../lib/forms.server';
import {
  acceptAsNewUser,
  acceptAsUser,
  inviteeHasAccount,
  InviteRefusal,
  newAccountSchema,
  pendingInvite,
} from '../lib/invite-accept.server';
import { commitUserSession } from '../lib/session.server';
import { auditSession } from '../lib/sign-in-audit.server';
import { Field } from '../components/ui/FormField';

export const meta: MetaFunction = () => [{ title: 'Join a workspace · Baton' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { invite, summary } = await pendingInvite(params.token ?? '');
    const user = await optionalPageUser(request);
    return {
      problem: undefined,
      summary,
      signedInAs: user ? { name: user.name, email: user.email } : undefined,
      hasAccount: user ? true : await inviteeHasAccount(invite),
    };
  } catch (err) {
    if (err instanceof InviteRefusal) return data({ problem: err.message }, { status: err.status });
    throw err;
  }
}

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const form = await readForm(request);
  const headers = new Headers();
  try {
    let workspaceId: string;
    if (form.get('intent') === 'join') {
      const user = await optionalPageUser(request);
      if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(`/invite/${token}`)}`);
      ({ workspaceId } = await acceptAsUser(token, user, context.clientIp));
    } else {
      const parsed = newAccountSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) return data({ fieldErrors: parsed.error.flatten().fieldErrors, formError: undefined }, 400);
      const accepted = await acceptAsNewUser(token, parsed.data, context.clientIp);
      workspaceId = accepted.workspaceId;
      headers.append('Set-Cookie', await commitUserSession(request, accepted.user.id, context.clientIp));
      await auditSession('auth.sign-in', accepted.user, request, context.clientIp);
    }
    headers.append('Set-Cookie', workspaceCookie(workspaceId, isHttps(request)));
    return redirect('/', { headers });
  } catch (err) {
    if (err instanceof InviteRefusal) return data({ fieldErrors: {}, formError: err.message }, { status: err.status });
    throw err;
  }
}

export default function AcceptInvite() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const token = useParams().token ?? '';
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <main className="center-page">
      <div className="card narrow">
        <div className="auth-brand">
          <BrandMark /> Baton
        </div>
        {'problem' in loaded && loaded.problem ? (
          <>
            <h1>This invite cannot be used</h1>
            <div className="banner error" role="alert">
              {loaded.problem}
            </div>
            <Link className="btn" to="/login">
              Go to sign in
            </Link>
          </>
        ) : 'summary' in loaded && loaded.summary ? (
          <>
            <div>
              <h1>Join {loaded.summary.workspaceName}</h1>
              <p className="muted">
                {loaded.summary.invitedBy} invited <strong>{loaded.summary.email}</strong> as {loaded.summary.role}.
              </p>
            </div>
            {actionData?.formError && (
              <div className="banner error" role="alert">
                {actionData.formError}
              </div>
            )}
            {loaded.signedInAs ? (
              <JoinAsSignedIn signedInAs={loaded.signedInAs} busy={busy} />
            ) : loaded.hasAccount ? (
              <>
                <p>You already have a Baton account with this email. Sign in, and this page will let you join.</p>
                <Link className="btn primary" to={`/login?redirectTo=${encodeURIComponent(`/invite/${token}`)}`}>
                  Sign in to accept
                </Link>
              </>
            ) : (
              <Form method="post" className="auth-form">
                <input type="hidden" name="intent" value="create" />
                <div className="field">
                  <label htmlFor="invite-email">Email</label>
                  <input id="invite-email" className="input" value={loaded.summary.email} readOnly />
                </div>
                <Field name="name" label="Your name" autoComplete="name" errors={errors.name} autoFocus />
                <Field
                  name="password"
                  label="Password"
                  type="password"
                  autoComplete="new-password"
                  errors={errors.password}
                  hint="At least 8 characters."
                />
                <button className="btn primary" type="submit" disabled={busy}>
                  {busy ? <span className="spinner" /> : null} Create account and join
                </button>
              </Form>
            )}
          </>
        ) : null}
      </div>
    </main>
  );
}

function JoinAsSignedIn({ signedInAs, busy }: { signedInAs: { name: string; email: string }; busy: boolean }) {
  return (
    <div className="auth-form">
      <p>
        You are signed in as {signedInAs.name} ({signedInAs.email}).
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="join" />
        <button className="btn primary" type="submit" disabled={busy} style={{ width: '100%' }}>
          {busy ? <span className="spinner" /> : null} Join with this account
        </button>
      </Form>
      <Form method="post" action="/logout">
        <button className="btn ghost" type="submit" style={{ width: '100%' }}>
          Sign out to use another account
        </button>
      </Form>
    </div>
  );
}
