// The pages of a form after its first: /form/run/<runId>/<signature>, the link only the person who submitted the Form
// trigger's page is given (app/lib/forms-links.server.ts), so the same person fills in every page. Without `step`
// it follows the run: it opens the page of a Form node waiting now (`?step=<node>`), waits while the run works
// (refreshing itself, with or without JavaScript), and ends the form once no page is left. POST sends a page's
// answers to its Form node. A page that was sent or expired says so, naming the form; a post to it changes
// nothing and shows the answers it carried, so nothing is lost.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import type { FormEnding, FormField, FormPage } from '../../contracts/form-page';
import { AnswersEcho, FormEnd, FormShell } from '../components/forms/FormShell';
import { HostedForm } from '../components/forms/HostedForm';
import { optionalPageUser } from '../lib/auth.server';
import { formRunPath, verifyFormRunSignature } from '../lib/forms-links.server';
import { formRunState, formStep, openFormRun, submitStep, type FormRun } from '../lib/forms-run.server';
import { answerProblems, answersToShow, readSubmission, storedAnswers } from '../lib/forms-submission.server';
import { formStepPage } from '../../nodes/form/spec';
import formPageCss from '../styles/form-page.css?url';
import inspectorCss from '../styles/inspector.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: formPageCss },
];

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded?.formTitle ?? 'Form' },
  { name: 'robots', content: 'noindex' },
];

const POLL_MS = 1500;
const NO_FORM = 'There is no form at this address. Copy the whole link, or start the form again from its first page.';

const notFound = () => new Response(NO_FORM, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/** The run behind a signed link; a members-only form also wants the member who started it. */
async function openLink(request: Request, params: LoaderFunctionArgs['params']): Promise<FormRun> {
  const runId = params.runId ?? '';
  if (!verifyFormRunSignature(runId, params.signature ?? '')) throw notFound();
  const fr = await openFormRun(runId);
  if (!fr) throw notFound();
  if (fr.access === 'members') {
    const user = await optionalPageUser(request);
    const url = new URL(request.url);
    if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
    if (fr.run.startedBy && fr.run.startedBy !== user.id)
      throw new Response('This form was started by another member; only they can fill in its next pages.', {
        status: 403,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
  }
  return fr;
}

type Shown =
  | { kind: 'page'; page: FormPage; step: string }
  | { kind: 'closed'; reason: string; next: boolean }
  | { kind: 'waiting' }
  | { kind: 'complete'; ending: FormEnding }
  | { kind: 'stopped' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const fr = await openLink(request, params);
  const url = new URL(request.url);
  const step = url.searchParams.get('step');
  const justSent = url.searchParams.get('after') ?? undefined;
  const base = { formTitle: fr.formTitle, runPath: formRunPath(fr.run.runId) };
  if (step) {
    const view = await formStep(fr, step, justSent);
    if (view.kind === 'unknown') throw notFound();
    if (view.kind === 'open') return { ...base, shown: { kind: 'page', page: view.page, step } as Shown };
    const state = await formRunState(fr, justSent);
    const next = state.kind === 'page' || state.kind === 'waiting';
    return data({ ...base, shown: { kind: 'closed', reason: view.reason, next } as Shown }, { status: 410 });
  }
  const state = await formRunState(fr, justSent);
  if (state.kind === 'page') throw redirect(`${base.runPath}?step=${encodeURIComponent(state.nodeId)}`);
  return { ...base, shown: state as Shown };
}

type ActionResult =
  | { kind: 'invalid'; errors: Record<string, string>; values: Record<string, unknown> }
  | { kind: 'closed'; reason: string; fields: FormField[]; values: Record<string, unknown> };

export async function action({ request, params }: ActionFunctionArgs) {
  const fr = await openLink(request, params);
  const step = new URL(request.url).searchParams.get('step') ?? '';
  const node = fr.steps.find((n) => n.id === step);
  if (!node) throw notFound();
  const page = formStepPage(node.params);
  const submission = await readSubmission(request, page);
  const values = answersToShow(submission);
  const reply = (result: ActionResult, status: number) => data(result, { status });

  const view = await formStep(fr, step);
  if (view.kind === 'closed') return reply({ kind: 'closed', reason: view.reason, fields: page.fields, values }, 410);
  const errors = answerProblems(page, submission);
  if (Object.keys(errors).length > 0) return reply({ kind: 'invalid', errors, values }, 400);

  const answers = await storedAnswers(page, submission, {
    workspaceId: fr.run.workspaceId ?? '',
    runId: fr.run.runId,
    nodeId: step,
    uploadedBy: fr.run.startedBy,
  });
  const sent = await submitStep(fr, step, answers);
  if (!sent.ok) {
    const closed = await formStep(fr, step);
    const reason = closed.kind === 'closed' ? closed.reason : sent.refused;
    return reply({ kind: 'closed', reason, fields: page.fields, values }, 409);
  }
  throw redirect(`${formRunPath(fr.run.runId)}?after=${encodeURIComponent(step)}`, 303);
}

export default function FormRunRoute() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const shown = loaded.shown;
  const revalidator = useRevalidator();
  const waiting = shown.kind === 'waiting' && !result;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  let body;
  if (result?.kind === 'closed' || shown.kind === 'closed') {
    const reason = result?.kind === 'closed' ? result.reason : shown.kind === 'closed' ? shown.reason : '';
    body = (
      <>
        <h1>{loaded.formTitle}</h1>
        <div className="banner warning" role="alert" data-testid="form-closed">
          {reason}
        </div>
        {result?.kind === 'closed' && <AnswersEcho fields={result.fields} values={result.values} />}
        {(shown.kind !== 'closed' || shown.next) && (
          <a className="btn" href={loaded.runPath}>
            Go to the form’s current page
          </a>
        )}
      </>
    );
  } else if (shown.kind === 'page')
    body = (
      <HostedForm
        key={shown.step}
        page={shown.page}
        eyebrow={loaded.formTitle}
        values={result?.kind === 'invalid' ? result.values : undefined}
        errors={result?.kind === 'invalid' ? result.errors : undefined}
        hidden={{ step: shown.step }}
        busy={busy}
      />
    );
  else if (shown.kind === 'complete') body = <FormEnd ending={shown.ending} title={loaded.formTitle} />;
  else if (shown.kind === 'stopped')
    body = (
      <>
        <h1>{loaded.formTitle}</h1>
        <div className="banner warning" role="status" data-testid="form-stopped">
          Your answers were received, but the workflow stopped before the form was complete. The people who run this
          form can see what happened.
        </div>
      </>
    );
  else
    body = (
      <div className="form-page-waiting" role="status" data-testid="form-waiting">
        <noscript>
          <meta httpEquiv="refresh" content={String(POLL_MS / 500)} />
        </noscript>
        <h1>{loaded.formTitle}</h1>
        <p>
          <span className="spinner" aria-hidden="true" /> Thank you, your answers were received. The next page opens
          here as soon as it is ready.
        </p>
        <p className="muted">
          You can keep this page open, or come back to <a href={loaded.runPath}>this address</a> later.
        </p>
      </div>
    );
  return <FormShell>{body}</FormShell>;
}
