// The hosted form of a published workflow whose trigger is a Form trigger: /form/<workflow id>. Public like a webhook
// (the trigger says who may open it: anyone, people with its password, or signed-in members). GET shows the page;
// POST checks the answers with the approval form's rules and either shows the page again with a message next to
// each refused field (values kept, nothing started) or starts the run. Then the form ends, or, when the workflow
// has Form nodes, the person follows the run to its next page (form.run.$runId.$signature.tsx).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { FormEnding, FormPage } from '../../contracts/form-page';
import { FormEnd, FormShell } from '../components/forms/FormShell';
import { HostedForm } from '../components/forms/HostedForm';
import { formRunPath } from '../lib/forms-links.server';
import { admitVisitor, checkPassword, findLiveForm, startFormRun, type LiveForm } from '../lib/forms-live.server';
import { answerProblems, answersToShow, readSubmission, storedAnswers } from '../lib/forms-submission.server';
import formPageCss from '../styles/form-page.css?url';
import inspectorCss from '../styles/inspector.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: formPageCss },
];

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded && 'page' in loaded ? loaded.page.title : 'Form' },
  { name: 'robots', content: 'noindex' },
];

const NO_FORM = 'There is no form at this address. The link may be old, or the form was taken down.';

/** What the browser needs of the form: its page, and whether it asks for a password first. */
const shown = (form: LiveForm): { page: FormPage; ending: FormEnding; password: boolean } => {
  const { access, ending, ...page } = form.page;
  return { page, ending, password: access.kind === 'password' };
};

async function liveForm(workflowId: string | undefined): Promise<LiveForm> {
  const form = await findLiveForm(workflowId ?? '');
  if (!form) throw new Response(NO_FORM, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return form;
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const form = await liveForm(params.workflowId);
  const admitted = await admitVisitor(request, form, undefined);
  const refused = !admitted.ok && admitted.kind === 'refused' ? admitted.problem : undefined;
  return data({ ...shown(form), refused }, { status: refused && !admitted.ok ? admitted.status : 200 });
}

type ActionResult =
  | { kind: 'password'; problem?: string }
  | { kind: 'unlocked'; pass: string }
  | { kind: 'refused'; problem: string }
  | {
      kind: 'invalid';
      errors?: Record<string, string>;
      problem?: string;
      values: Record<string, unknown>;
      pass?: string;
    }
  | { kind: 'done' };

export async function action({ params, request, context }: ActionFunctionArgs) {
  const form = await liveForm(params.workflowId);
  const submission = await readSubmission(request, form.page);
  const { intent, password, pass } = submission.control;
  const reply = (result: ActionResult, status = 200, headers?: HeadersInit) => data(result, { status, headers });

  if (intent === 'password') {
    const checked = await checkPassword(form, password ?? '', context.clientIp);
    return checked.ok
      ? reply({ kind: 'unlocked', pass: checked.pass })
      : reply({ kind: 'password', problem: checked.problem }, checked.status);
  }
  const admitted = await admitVisitor(request, form, pass);
  if (!admitted.ok)
    return admitted.kind === 'password'
      ? reply({ kind: 'password', problem: admitted.problem }, admitted.status)
      : reply({ kind: 'refused', problem: admitted.problem }, admitted.status);

  const values = answersToShow(submission);
  const errors = answerProblems(form.page, submission);
  if (Object.keys(errors).length > 0) return reply({ kind: 'invalid', errors, values, pass }, 400);

  const started = await startFormRun(form, admitted.user, (runId) =>
    storedAnswers(form.page, submission, {
      workspaceId: form.workspaceId,
      runId,
      nodeId: form.trigger.id,
      uploadedBy: admitted.user?.id,
    }),
  );
  if (!started.ok)
    return reply({ kind: 'invalid', problem: started.problem, values, pass }, started.status, {
      'Retry-After': String(started.retryAfterSeconds),
    });
  if (form.hasSteps) throw redirect(formRunPath(started.runId), 303);
  return reply({ kind: 'done' });
}

export default function FormRoute() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const pass = result?.kind === 'unlocked' ? result.pass : result?.kind === 'invalid' ? result.pass : undefined;
  const refused = result?.kind === 'refused' ? result.problem : loaded.refused;

  let body;
  if (result?.kind === 'done') body = <FormEnd ending={loaded.ending} title={loaded.page.title} />;
  else if (refused)
    body = (
      <>
        <h1>{loaded.page.title}</h1>
        <div className="banner error" role="alert" data-testid="form-problem">
          {refused}
        </div>
      </>
    );
  else if (loaded.password && !pass)
    body = (
      <PasswordGate title={loaded.page.title} problem={result?.kind === 'password' ? result.problem : undefined} />
    );
  else
    body = (
      <HostedForm
        page={loaded.page}
        values={result?.kind === 'invalid' ? result.values : undefined}
        errors={result?.kind === 'invalid' ? result.errors : undefined}
        problem={result?.kind === 'invalid' ? result.problem : undefined}
        hidden={pass ? { pass } : undefined}
        busy={busy}
      />
    );
  return <FormShell>{body}</FormShell>;
}

function PasswordGate({ title, problem }: { title: string; problem?: string }) {
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <header className="form-page-header">
        <h1>{title}</h1>
        <p className="form-page-description">This form is protected. Type its password to open it.</p>
      </header>
      {problem && (
        <div className="banner error" role="alert" data-testid="form-problem">
          {problem}
        </div>
      )}
      <Form method="post" className="form-page-form">
        <input type="hidden" name="intent" value="password" />
        <div className="field">
          <label htmlFor="form-password">Password</label>
          <input id="form-password" className="input" type="password" name="password" autoComplete="off" required />
        </div>
        <button className="btn primary form-page-submit" type="submit" disabled={busy}>
          Open the form
        </button>
      </Form>
    </>
  );
}
