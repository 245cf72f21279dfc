// The page behind an approval email's link. The link is the credential (signed for one approver and one request,
// expiring; db/approval-links.ts), so no sign-in is needed. GET only shows the request and a form: link scanners
// that open every URL in a mail decide nothing. POST decides as the link's approver, `via: 'link'`, through the
// run's validator like every other decision. A tampered, expired, reused or no longer valid link shows why.
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import type { ApprovalRequest, DecisionInput } from '../../contracts/approvals';
import { pendingDeciders, voters } from '../../contracts/approval-rules';
import { verifyApprovalLink } from '../../db/approval-links';
import { getApprovalUnscoped } from '../../db/approvals';
import { getUserById, type User } from '../../db/users';
import { ApprovalRefusedError } from '../../temporal/approvals';
import { ApprovalFormFields, initialFormValues } from '../components/approvals/ApprovalFormFields';
import { decisionText, ruleText, STATUS_LABEL, timeLeftText } from '../components/approvals/approval-text';
import { DataReview, type DataDraft } from '../components/approvals/DataReview';
import { BrandMark } from '../components/ui/BrandMark';
import { approvalView } from '../lib/approval-view';
import { decide, refusalStatus } from '../lib/approvals.server';
import { readForm } from '../lib/forms.server';
import approvalsCss from '../styles/approvals.css?url';
import inspectorCss from '../styles/inspector.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: approvalsCss },
];

export const meta: MetaFunction = () => [{ title: 'Approval request · Baton' }, { name: 'robots', content: 'noindex' }];

class LinkRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LINK_PROBLEMS = {
  malformed: 'This link is not a Baton approval link. Copy the whole link from the email, or decide in your inbox.',
  tampered:
    'This link has been changed since Baton sent it, so it is refused. Use the link from your own email, or decide in your inbox.',
  expired: 'This link has expired. Decide in your Baton inbox instead, where the request still waits if it is open.',
} as const;

/** The request and approver a link stands for, if the link may still decide; throws LinkRefusal saying why not. */
async function openLink(token: string): Promise<{ approval: ApprovalRequest; approver: User }> {
  const check = verifyApprovalLink(token);
  if (!check.ok) throw new LinkRefusal(check.reason === 'expired' ? 410 : 400, LINK_PROBLEMS[check.reason]);
  const approval = await getApprovalUnscoped(check.approvalId);
  const approver = await getUserById(check.approverId);
  if (!approval || !approver) throw new LinkRefusal(404, 'This approval request no longer exists.');
  const mine = approval.decisions.find((d) => d.approverId === approver.id);
  if (mine)
    throw new LinkRefusal(
      409,
      `This link has been used: ${decisionText(mine)} on ${mine.at.slice(0, 10)}. A link decides once.`,
    );
  if (approval.status !== 'pending')
    throw new LinkRefusal(410, `This request is closed: ${STATUS_LABEL[approval.status].toLowerCase()}.`);
  if (!pendingDeciders(approval).includes(approver.id))
    throw new LinkRefusal(
      403,
      approval.barred.includes(approver.id)
        ? 'You started or published this run, so you may not decide this request.'
        : `This link is not for a current approver of this request (it was made for ${approver.name}, who can no longer decide it).`,
    );
  return { approval, approver };
}

function shown(approval: ApprovalRequest, approver: User, now: number) {
  const view = approvalView(approval, approver.id);
  return {
    approverName: approver.name,
    title: approval.title,
    workflowName: approval.workflowName,
    summary: approval.summary,
    data: approval.data,
    form: approval.form,
    decisions: approval.decisions.map((d) => decisionText(d)),
    rule: `${view.progress.approvals} of ${view.progress.needed} approvals · ${ruleText(approval.rule, voters(approval).length)}`,
    timeLeft: timeLeftText(view.deadlineAt, now),
  };
}

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const { approval, approver } = await openLink(params.token ?? '');
    return { problem: undefined, request: shown(approval, approver, Date.now()) };
  } catch (err) {
    // A link its approver has used shows their decision with 200: Remix also runs this loader to render the page
    // after the POST that decided, and the document's status would otherwise be this 409, not the action's 200.
    if (err instanceof LinkRefusal)
      return data({ problem: err.message, request: undefined }, { status: err.status === 409 ? 200 : err.status });
    throw err;
  }
}

/** Form values as the fields' types want them; the run checks them again and names a field that does not fit. */
function formValues(approval: ApprovalRequest, posted: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of approval.form) {
    const raw = posted.get(`form.${field.key}`);
    if (field.type === 'boolean') values[field.key] = raw === 'true';
    else if (typeof raw === 'string' && raw.trim() !== '')
      values[field.key] = field.type === 'number' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return values;
}

function editedData(approval: ApprovalRequest, posted: FormData): { data?: unknown } {
  const text = posted.get('data');
  if (typeof text !== 'string') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new LinkRefusal(
      400,
      `data: the edited data is not valid JSON (${(err as Error).message}); nothing was decided.`,
    );
  }
  return JSON.stringify(parsed) === JSON.stringify(approval.data) ? {} : { data: parsed };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const posted = await readForm(request, 1024 * 1024);
  try {
    const { approval, approver } = await openLink(params.token ?? '');
    const decision = posted.get('decision');
    if (decision !== 'approve' && decision !== 'reject')
      throw new LinkRefusal(400, 'decision: press Approve or Reject.');
    const comment = String(posted.get('comment') ?? '').trim();
    const input: DecisionInput = {
      decision,
      ...(comment ? { comment: comment.slice(0, 4_000) } : {}),
      form: formValues(approval, posted),
      ...(decision === 'approve' ? editedData(approval, posted) : {}),
    };
    const updated = await decide(
      approval,
      { id: approver.id, name: approver.name, via: 'link', ip: context.clientIp },
      input,
    );
    return {
      done: `${decision === 'approve' ? 'Approved' : 'Rejected'}. Thank you, ${approver.name}: your decision on “${approval.title}” is recorded.`,
      status:
        updated.status === 'pending'
          ? 'The request waits for the other approvers.'
          : `The request is now ${STATUS_LABEL[updated.status].toLowerCase()}.`,
      problem: undefined,
    };
  } catch (err) {
    if (err instanceof LinkRefusal)
      return data({ done: undefined, status: undefined, problem: err.message }, { status: err.status });
    if (err instanceof ApprovalRefusedError)
      return data({ done: undefined, status: undefined, problem: err.message }, { status: refusalStatus(err) });
    throw err;
  }
}

export default function ApprovalLinkPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const request = loaded.request;
  const [values, setValues] = useState(() => initialFormValues(request?.form ?? []));
  const [draft, setDraft] = useState<DataDraft>({ editing: false });
  return (
    <main className="center-page">
      <div className="card approval-link-card">
        <div className="auth-brand">
          <BrandMark /> Baton
        </div>
        {result?.done ? (
          <div className="banner info" role="status" data-testid="link-done">
            <div>
              <strong>{result.done}</strong>
              <div>{result.status}</div>
            </div>
          </div>
        ) : loaded.problem || !request ? (
          <>
            <h1>This link cannot decide</h1>
            <div className="banner error" role="alert" data-testid="link-problem">
              {loaded.problem}
            </div>
            <a className="btn" href="/inbox">
              Open your inbox
            </a>
          </>
        ) : (
          <>
            <div>
              <p className="muted">
                {request.workflowName} asks {request.approverName} to decide
              </p>
              <h1>{request.title}</h1>
              {request.summary && <p>{request.summary}</p>}
              <p className="muted">
                {request.rule}
                {request.timeLeft ? ` · ${request.timeLeft}` : ''}
              </p>
            </div>
            {result?.problem && (
              <div className="banner error" role="alert" data-testid="link-problem">
                {result.problem}
              </div>
            )}
            <Form method="post" className="approval-decide">
              <DataReview id="link-data" data={request.data} draft={draft} editable={!busy} onDraft={setDraft} />
              {request.decisions.length > 0 && (
                <ul className="approval-decided" aria-label="Already decided">
                  {request.decisions.map((text) => (
                    <li key={text}>{text}</li>
                  ))}
                </ul>
              )}
              <ApprovalFormFields
                idPrefix="link-form"
                fields={request.form}
                values={values}
                disabled={busy}
                onChange={setValues}
              />
              <div className="field">
                <label htmlFor="link-comment">Comment</label>
                <textarea id="link-comment" name="comment" className="textarea" rows={3} placeholder="Optional: why" />
              </div>
              <p className="muted">Nothing is decided until you press a button below.</p>
              <div className="approval-actions">
                <button className="btn danger" type="submit" name="decision" value="reject" disabled={busy}>
                  Reject
                </button>
                <button className="btn primary" type="submit" name="decision" value="approve" disabled={busy}>
                  Approve
                </button>
              </div>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
