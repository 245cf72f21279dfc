// The Form trigger's side of hosted forms (decision 049): which form a /form/<workflowId> URL serves, who may open
// it, and starting its run. Found like a webhook (app/lib/webhooks.server.ts): the workflow's live published
// version, read by `_id` and kept a second, its plan from the plan cache, and a trigger whose registry binding is
// `form`. Every refusal to find one is the same "no form here" for the visitor; the reason goes to the server log.
import { createHash, timingSafeEqual } from 'node:crypto';
import { redirect } from '@remix-run/node';
import type { FormTriggerPage } from '../../contracts/form-page';
import { CredentialError, decryptCredential } from '../../db/credentials';
import type { User } from '../../db/users';
import { membershipOf } from '../../db/workspaces';
import { cachedPublishedVersionOf, getWorkflowUnscoped } from '../../db/workflows';
import { EXPRESS_RETRY_AFTER_SECONDS, takeExpressSlot } from '../../express/concurrency';
import { startExpressRun } from '../../express/run-express';
import type { Plan, PlanNode } from '../../ir/types';
import { registry } from '../../nodes/index';
import { formBindingOf, type FormBinding } from '../../nodes/triggers';
import { admitRun } from './admission.server';
import { optionalPageUser } from './auth.server';
import { formPass, verifyFormPass } from './forms-links.server';
import {
  retryAfterSeconds,
  recordFailure,
  resetFailures,
  throttleKey,
  throttledMessage,
} from './login-throttle.server';
import { publishedPlan } from './plan-cache.server';
import { launchRun, newRunId } from './run-launcher.server';

export interface LiveForm {
  workspaceId: string;
  workflowId: string;
  version: number;
  plan: Plan;
  trigger: PlanNode;
  binding: FormBinding;
  page: FormTriggerPage;
  /** The plan has Form nodes: after the first page, the submitter follows the run to its next pages. */
  hasSteps: boolean;
}

/** Whether a plan node is a page of a form: a node that waits for a form page's answers (nodes/form). */
export function isFormStep(node: PlanNode): boolean {
  const runtime = registry.get(node.type, node.version)?.runtime;
  return runtime?.kind === 'wait' && runtime.awaits(node.params) === 'form';
}

/** The published form a /form/<workflowId> URL serves, or undefined (logged with the reason). */
export async function findLiveForm(idInUrl: string): Promise<LiveForm | undefined> {
  const found = await lookUp(idInUrl);
  if (typeof found === 'string') {
    console.warn(`[form] /form/${JSON.stringify(idInUrl)}: no form: ${found}`);
    return undefined;
  }
  return found;
}

async function lookUp(idInUrl: string): Promise<LiveForm | string> {
  const workflow = await cachedPublishedVersionOf(idInUrl);
  if (!workflow) return 'no such workflow';
  const { id: workflowId, workspaceId, publishedVersion: version } = workflow;
  if (version === null) return 'the workflow has no published version';
  const published = await publishedPlan(
    workflowId,
    version,
    async () => (await getWorkflowUnscoped(workflowId))?.name ?? '',
  );
  if (!published.ok) return `published version ${version} cannot run: ${published.message}`;
  const { plan } = published;
  const trigger = plan.nodes[plan.triggerId];
  const binding = formBindingOf(trigger);
  if (!binding) return `version ${version}'s trigger "${trigger.name}" is not a form`;
  const page = binding.page(published.triggerParams);
  const hasSteps = Object.values(plan.nodes).some(isFormStep);
  return { workspaceId, workflowId, version, plan, trigger, binding, page, hasSteps };
}

export type Admission =
  | { ok: true; user?: User }
  /** The page asks for the form's password (again, with `problem`). */
  | { ok: false; kind: 'password'; problem?: string; status: number }
  | { ok: false; kind: 'refused'; problem: string; status: number };

/** Whether the visitor may use the form: members are signed in and of its workspace; others carry a valid pass. */
export async function admitVisitor(request: Request, form: LiveForm, pass: string | undefined): Promise<Admission> {
  const { access } = form.page;
  if (access.kind === 'members') {
    const user = await optionalPageUser(request);
    if (!user) {
      const url = new URL(request.url);
      throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
    }
    if (!(await membershipOf(form.workspaceId, user.id)))
      return {
        ok: false,
        kind: 'refused',
        status: 403,
        problem: `This form is only for members of the workspace it belongs to, and ${user.name} is not one.`,
      };
    return { ok: true, user };
  }
  if (access.kind === 'password') {
    const stamp = await passwordStamp(form);
    if (!stamp) return unavailable();
    if (!pass || !verifyFormPass(pass, form.workflowId, access.credentialId, stamp.stamp))
      return { ok: false, kind: 'password', status: pass ? 403 : 401, ...(pass ? { problem: PASS_EXPIRED } : {}) };
  }
  return { ok: true };
}

const PASS_EXPIRED = 'Your access to this form has expired. Type the password again; your answers were not sent.';

const UNAVAILABLE = 'This form cannot be opened right now. Tell the person who sent you the link.';
const unavailable = (): Admission => ({ ok: false, kind: 'refused', status: 503, problem: UNAVAILABLE });

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The form's password (a digest, to compare in constant time) and a stamp that changes with it. */
async function passwordStamp(form: LiveForm): Promise<{ digest: Buffer; stamp: string } | undefined> {
  const access = form.page.access;
  if (access.kind !== 'password') return undefined;
  try {
    // The web reads this one credential to check what a visitor typed; its value never leaves this function.
    const credential = await decryptCredential(form.workspaceId, access.credentialId);
    const password = credential.type === 'form-password' ? credential.values.password : undefined;
    if (typeof password !== 'string' || password === '') {
      console.warn(`[form] ${form.workflowId}: credential ${access.credentialId} is not a Form password`);
      return undefined;
    }
    const d = digest(password);
    return { digest: d, stamp: d.toString('base64url') };
  } catch (err) {
    if (!(err instanceof CredentialError)) throw err;
    console.warn(`[form] ${form.workflowId}: the password credential cannot be read: ${err.message}`);
    return undefined;
  }
}

/** Checks a typed password (slowed down after repeated failures per form and address); a pass when it is right. */
export async function checkPassword(
  form: LiveForm,
  typed: string,
  clientIp: string,
): Promise<{ ok: true; pass: string } | { ok: false; problem: string; status: number }> {
  const key = throttleKey(`form:${form.workflowId}`, '', clientIp);
  const wait = retryAfterSeconds(key);
  if (wait > 0) return { ok: false, problem: throttledMessage(wait), status: 429 };
  const stamp = await passwordStamp(form);
  if (!stamp || form.page.access.kind !== 'password') return { ok: false, problem: UNAVAILABLE, status: 503 };
  if (!timingSafeEqual(digest(typed), stamp.digest)) {
    recordFailure(key);
    return { ok: false, problem: 'That password is not right.', status: 403 };
  }
  resetFailures(key);
  return { ok: true, pass: formPass(form.workflowId, form.page.access.credentialId, stamp.stamp) };
}

export type Started =
  { ok: true; runId: string } | { ok: false; problem: string; status: number; retryAfterSeconds: number };

/**
 * Starts the form's run like a webhook's (admission control, the launcher, or in this process for express plans).
 * `answers` stores the values under the run's id first, so its files go with the run.
 */
export async function startFormRun(
  form: LiveForm,
  user: User | undefined,
  answers: (runId: string | undefined) => Promise<Record<string, unknown>>,
): Promise<Started> {
  if (form.plan.mode === 'express') {
    const release = takeExpressSlot();
    if (!release) return busy(EXPRESS_RETRY_AFTER_SECONDS);
    try {
      const values = await answers(undefined);
      const { runId, finished } = startExpressRun({
        plan: form.plan,
        workspaceId: form.workspaceId,
        workflowId: form.workflowId,
        workflowVersion: form.version,
        trigger: form.binding.payload(form.trigger.params, values),
        mode: 'form',
      });
      finished
        .finally(release)
        .catch((err: unknown) => console.error(`[form] express run ${runId} was lost: it could not be recorded:`, err));
      return { ok: true, runId };
    } catch (err) {
      release();
      throw err;
    }
  }
  const refusal = await admitRun();
  if (refusal) return busy(refusal.retryAfterSeconds);
  const runId = newRunId();
  const values = await answers(runId);
  await launchRun({
    runId,
    plan: form.plan,
    planStored: true,
    workspaceId: form.workspaceId,
    workflowId: form.workflowId,
    workflowVersion: form.version,
    trigger: form.binding.payload(form.trigger.params, values),
    mode: 'form',
    ...(user ? { startedBy: user.id } : {}),
  });
  return { ok: true, runId };
}

const busy = (seconds: number): Started => ({
  ok: false,
  status: 503,
  retryAfterSeconds: seconds,
  problem: `Too many requests are being handled right now, so nothing was sent. Try again in ${seconds} seconds: your answers are still here.`,
});
