// First run: create the owner account (like n8n's owner setup), then sign in.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import { BrandMark } from '../components/ui/BrandMark';
import { recordFailure, retryAfterSeconds, throttledMessage, throttleKey } from '../lib/login-throttle.server';
import { ownerSchema } from '../lib/owner-schema';
import { commitUserSession } from '../lib/session.server';
import { createOwner, hasAnyUser, SetupAlreadyDoneError } from '../models/user.server';

export const meta: MetaFunction = () => [{ title: 'Set up Baton' }];

export async function loader() {
  if (await hasAnyUser()) throw redirect('/login');
  return null;
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
  const form = Object.fromEntries(await request.formData());
  const parsed = ownerSchema.safeParse(form);
  if (!parsed.success) return { fieldErrors: parsed.error.flatten().fieldErrors, formError: undefined };
  try {
    const user = await createOwner(parsed.data);
    return redirect('/', { headers: { 'Set-Cookie': await commitUserSession(request, user.id) } });
  } catch (err) {
    if (err instanceof SetupAlreadyDoneError) {
      recordFailure(key);
      return { fieldErrors: {}, formError: err.message };
    }
    throw err;
  }
}

export default function Setup() {
  const actionData = useActionData<typeof action>();
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
        <Form method="post" className="auth-form">
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

function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  errors?: string[];
  hint?: string;
  autoFocus?: boolean;
}) {
  const id = `f-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className={`input${props.errors?.length ? ' invalid' : ''}`}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required
        autoFocus={props.autoFocus}
        aria-invalid={props.errors?.length ? true : undefined}
      />
      {props.errors?.length ? (
        <span className="error-text">{props.errors[0]}</span>
      ) : props.hint ? (
        <span className="hint">{props.hint}</span>
      ) : null}
    </div>
  );
}
