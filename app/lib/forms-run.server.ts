// A run's side of hosted forms (decision 049): which of its Form pages is open now, whether the form is complete,
// and submitting a page, which resumes its Form node through the run's validated Update (workflows/waits.ts). Read
// from the run record, its pinned plan and the steps of its Form nodes (top level only: the compiler keeps them
// out of loops), so a page never shows a form the run is not waiting on.
import type { FormEnding, FormPage } from '../../contracts/form-page';
import { isTerminalRunStatus } from '../../contracts/run-status';
import { getPlan } from '../../db/plans';
import { getRunUnscoped } from '../../db/runs';
import { findStepsByKey, type StepDoc } from '../../db/steps';
import type { Plan, PlanNode } from '../../ir/types';
import { registry } from '../../nodes/index';
import { formStepPage } from '../../nodes/form/spec';
import { formBindingOf } from '../../nodes/triggers';
import { ResumeRefusedError, RunNotRunningError, resumeWait } from '../../temporal/client';
import type { RunView } from '../../contracts/run-record';
import { isFormStep } from './forms-live.server';

export interface FormRun {
  run: RunView;
  plan: Plan;
  /** The Form trigger's page title: what the person knows the form by. */
  formTitle: string;
  access: 'public' | 'password' | 'members';
  ending: FormEnding;
  /** The run's Form nodes, in plan order. */
  steps: PlanNode[];
}

/** The form side of a run the Form trigger started, or undefined (no such run, or not started by a form). */
export async function openFormRun(runId: string): Promise<FormRun | undefined> {
  const run = await getRunUnscoped(runId);
  const plan = run && (await getPlan(run.planHash));
  if (!run || !plan) return undefined;
  const trigger = plan.nodes[plan.triggerId];
  const binding = trigger && formBindingOf(trigger);
  if (!binding) return undefined;
  const page = binding.page(trigger.params);
  return {
    run,
    plan,
    formTitle: page.title,
    access: page.access.kind,
    ending: page.ending,
    steps: plan.order.map((id) => plan.nodes[id]).filter(isFormStep),
  };
}

export type FormRunState =
  /** A page waits for the person now. */
  | { kind: 'page'; nodeId: string }
  /** The run goes on, and a page may still come. */
  | { kind: 'waiting' }
  | { kind: 'complete'; ending: FormEnding }
  /** The run ended without reaching pages it could have shown. */
  | { kind: 'stopped' };

const stepsOf = (fr: FormRun) =>
  findStepsByKey(
    fr.run.runId,
    fr.steps.map((n) => ({ nodeId: n.id, iteration: 0 })),
  );

/** What the run's form page shows now; `justSent` is a page this person has just submitted (its step may lag). */
export async function formRunState(fr: FormRun, justSent?: string): Promise<FormRunState> {
  const steps = new Map((await stepsOf(fr)).map((s) => [s.nodeId, s]));
  const open = fr.steps.find((n) => n.id !== justSent && steps.get(n.id)?.status === 'running');
  if (open) return { kind: 'page', nodeId: open.id };
  const remaining = fr.steps.filter((n) => {
    const status = steps.get(n.id)?.status;
    return n.id !== justSent && (status === undefined || status === 'pending' || status === 'running');
  });
  if (remaining.length === 0 || fr.run.status === 'succeeded') return { kind: 'complete', ending: fr.ending };
  return isTerminalRunStatus(fr.run.status) ? { kind: 'stopped' } : { kind: 'waiting' };
}

export type StepView =
  | { kind: 'open'; nodeId: string; page: FormPage }
  | { kind: 'closed'; nodeId: string; page: FormPage; reason: string }
  | { kind: 'unknown' };

const day = (at: Date | undefined) =>
  at ? ` on ${at.toISOString().slice(0, 10)} at ${at.toISOString().slice(11, 16)} UTC` : '';

/** One Form page of the run: open for answers, or closed and why (submitted, expired, never reached). */
export async function formStep(fr: FormRun, nodeId: string, justSent?: string): Promise<StepView> {
  const node = fr.steps.find((n) => n.id === nodeId);
  if (!node) return { kind: 'unknown' };
  const page = formStepPage(node.params);
  const [step] = await findStepsByKey(fr.run.runId, [{ nodeId, iteration: 0 }]);
  if (step?.status === 'running' && nodeId !== justSent) return { kind: 'open', nodeId, page };
  return { kind: 'closed', nodeId, page, reason: closedReason(fr, node, step, nodeId === justSent) };
}

function closedReason(fr: FormRun, node: PlanNode, step: StepDoc | undefined, justSent: boolean): string {
  const where = `The page “${formStepPage(node.params).title}” of the form “${fr.formTitle}”`;
  if (justSent || step?.status === 'succeeded') {
    const timeoutMs = expiresAfterMs(node);
    const started = step?.startedAt?.getTime();
    const ended = step?.endedAt?.getTime();
    if (
      !justSent &&
      timeoutMs !== undefined &&
      started !== undefined &&
      ended !== undefined &&
      ended - started >= timeoutMs
    )
      return `${where} expired${day(step?.endedAt)} before it was sent, so it no longer takes answers.`;
    return `${where} was already sent${day(step?.endedAt)}. Each page is sent once; what was sent is kept.`;
  }
  if (isTerminalRunStatus(fr.run.status) || step)
    return `${where} is closed: the workflow ended or went another way before it reached this page.`;
  return `${where} is not open yet: the workflow has not reached it.`;
}

function expiresAfterMs(node: PlanNode): number | undefined {
  const runtime = registry.get(node.type, node.version)?.runtime;
  if (runtime?.kind !== 'wait') return undefined;
  try {
    const plan = runtime.plan(node.params, Date.now());
    return plan.kind === 'event' ? plan.timeoutMs : undefined;
  } catch {
    return undefined; // a timeout the run resolved itself cannot be told here
  }
}

/** Hands a page's answers to its Form node; `refused` says why the run would not take them (nothing changed). */
export async function submitStep(
  fr: FormRun,
  nodeId: string,
  values: Record<string, unknown>,
): Promise<{ ok: true } | { ok: false; refused: string }> {
  try {
    await resumeWait(fr.run.runId, { nodeId, source: 'form', data: values });
    return { ok: true };
  } catch (err) {
    if (err instanceof ResumeRefusedError || err instanceof RunNotRunningError)
      return { ok: false, refused: err.message };
    throw err;
  }
}
