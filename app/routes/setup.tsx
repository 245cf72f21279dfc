// First run: create the owner account (like n8n's owner setup), then sign in. From another machine this needs
// the one-time setup token Baton printed in its terminal (setup-token.server.ts).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { readForm } from '../lib/forms.server';
import { recordFailure, retryAfterSeconds, throttledMessage, throttleKey } from '../lib/login-throttle.server';
import { ownerSchema } from '../lib/owner-schema';
import { commitUserSession } from '../lib/session.server';
import { setupTokenRefusal } from '../lib/setup-token.server';
import { createOwner, hasAnyUser, SetupAlreadyDoneError } from '../../db/users';
import { migrateToWorkspaces } from '../../db/workspaces';
import { Field } from '../components/ui/FormField';

export const meta: MetaFunction = () => [{ title: 'Set up Baton' }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (await hasAnyUser()) throw redirect('/login');
  return { tokenRequired: !context.localClient };
}

// Document responses only carry the headers a route passes on; this one tells a throttled client when to retry.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export async function action({ request, context }: ActionFunctionArgs) {
  // Once the owner exists every attempt fails; throttling per client keeps this from being a free probe.
  const key = throttleKey('setup', '', context.clientIp);
  const wait = retryAfterSeconds(key);
  if (wait)
    return data(
      { fieldErrors: {}, formError: throttledMessage(wait) },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    );
  const form = await readForm(request);
  const refused = setupTokenRefusal(context, form.get('setupToken'));
  if (refused) {
    if (refused.reason === 'wrong') recordFailure(key);
    return data({ fieldErrors: {}, formError: refused.message }, { status: 403 });
  }
  const parsed = ownerSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { fieldErrors: parsed.error.flatten().fieldErrors, formError: undefined };
  try {
    const user = await createOwner(parsed.data);
    await migrateToWorkspaces(user.id);
    context.setupToken.consume();
    return redirect('/', { headers: { 'Set-Cookie': await commitUserSession(request, user.id, context.clientIp) } });
  } catch (err) {
    if (err instanceof SetupAlreadyDoneError) {
      recordFailure(key);
      return { fieldErrors: {}, formError: err.message };
    }
    throw err;
  }
}

export default function Setup() {
  const { tokenRequired } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <main className="center-page">
      <div className="card narrow">
        <div className="auth-brand">
          <BrandMark /> Baton
        </div>
        <div>
          <h1>Set up your owner account</h1>
          <p className="muted">This is a fresh Baton. The first account owns it.</p>
        </div>
        {actionData?.formError && <div className="banner error">{actionData.formError}</div>}
        {tokenRequired && (
          <p className="muted">
            You are opening Baton from another machine. So that nobody else on the network can claim this fresh server,
            creating the owner needs the one-time setup token that Baton printed in the terminal where it runs.
          </p>
        )}
        <Form method="post" className="auth-form">
          {tokenRequired && (
            <Field
              name="setupToken"
              label="Setup token"
              autoComplete="off"
              defaultValue={params.get('token') ?? undefined}
              hint="From the line with /setup?token=… in Baton's terminal; opening that link fills this in."
            />
          )}
          <Field name="name" label="Your name" autoComplete="name" errors={errors.name} autoFocus />
          <Field name="email" label="Email" type="email" autoComplete="email" errors={errors.email} />
          <Field
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            errors={errors.password}
            hint="At least 8 characters."
          />
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? <span className="spinner" /> : null} Create account
          </button>
        </Form>
      </div>
    </main>
  );
}
