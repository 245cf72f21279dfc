// The web side of schedule triggers: a published version whose trigger is schedule-bound has a Temporal Schedule
// (temporal/schedules.ts) that follows every publish, unpublish and delete; the editor reads and steers it here.
import { existingRunIds } from '../../db/runs';
import type { Workflow } from '../../db/workflows';
import { ParamError } from '../../ir/errors';
import type { Diagnostic, Plan, WorkflowDocument } from '../../ir/types';
import { scheduleBindingOf, type ScheduleBinding, type ScheduleSettings } from '../../nodes/triggers';
import {
  backfillSchedule,
  deleteSchedule,
  describeSchedule,
  NoScheduleError,
  pauseSchedule,
  scheduledRunId,
  triggerSchedule,
  unpauseSchedule,
  upsertSchedule,
  type ScheduleState,
} from '../../temporal/schedules';
import { checkForRun } from './document-check';
import { apiError } from './http.server';
import { publishedPlan } from './plan-cache.server';
import { MAX_BACKFILL_SLOTS, type LiveScheduleView, type ScheduleTimingView, type ScheduleView } from './schedule-view';

const UNITS: Array<[number, string]> = [
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

function summaryOf(timing: ScheduleSettings['timing']): string {
  if (timing.kind === 'cron') return `Cron ${timing.expression}`;
  const [size, unit] = UNITS.find(([s]) => timing.everySeconds % s === 0)!;
  const n = timing.everySeconds / size;
  return `Every ${n === 1 ? unit : `${n} ${unit}s`}`;
}

function timingView(settings: ScheduleSettings): ScheduleTimingView {
  return {
    summary: summaryOf(settings.timing),
    timeZone: settings.timeZone,
    jitterMs: settings.jitterMs,
    overlap: settings.overlap,
  };
}

/** The plan's schedule trigger and its settings; undefined when its trigger is not schedule-bound. */
function planSchedule(plan: Plan): { binding: ScheduleBinding; settings: ScheduleSettings } | undefined {
  const trigger = plan.nodes[plan.triggerId];
  const binding = scheduleBindingOf(trigger);
  return binding && { binding, settings: binding.settings(trigger.params) };
}

/**
 * Checks, before a publish, that a schedule-bound trigger's params make a schedule (what their schemas cannot see,
 * such as an end date before the start date). A diagnostic on the trigger's field, or undefined.
 */
export function scheduleDiagnostic(plan: Plan, doc: WorkflowDocument): Diagnostic | undefined {
  try {
    planSchedule(plan);
    return undefined;
  } catch (err) {
    if (!(err instanceof ParamError)) throw err;
    const trigger = plan.nodes[plan.triggerId];
    return {
      severity: 'error',
      code: 'param-invalid',
      message: `${trigger.name}: ${err.message}`,
      nodeId: trigger.id,
      path: ['nodes', doc.nodes.findIndex((n) => n.id === trigger.id), 'params', ...err.path],
    };
  }
}

/** Whether the workflow's published version (before a change to it) has a schedule trigger. */
export async function hasLiveSchedule(workflow: Workflow): Promise<boolean> {
  if (workflow.publishedVersion === null) return false;
  const published = await publishedPlan(workflow.id, workflow.publishedVersion, async () => workflow.name);
  return published.ok && scheduleBindingOf(published.plan.nodes[published.plan.triggerId]) !== undefined;
}

/**
 * Deletes the workflow's Schedule; false when it had none. When `hadSchedule` is false a failure to reach Temporal
 * is not an error: only a Schedule left by an earlier failed delete could be there, and the next publish retries.
 */
export async function removeSchedule(workflowId: string, hadSchedule: boolean): Promise<boolean> {
  try {
    return await deleteSchedule(workflowId);
  } catch (err) {
    if (hadSchedule) throw err;
    console.warn(
      `[schedule] could not check workflow ${workflowId} for a leftover schedule: ${(err as Error).message}`,
    );
    return false;
  }
}

export type ScheduleSync = 'created' | 'updated' | 'deleted' | 'none';

/**
 * Makes the workflow's Schedule follow a newly published version: created or pointed at it when its trigger is a
 * schedule, deleted when it is not. `hadSchedule`: whether the version published before had a schedule trigger.
 */
export async function syncSchedule(
  workflowId: string,
  version: number,
  plan: Plan,
  hadSchedule: boolean,
): Promise<ScheduleSync> {
  const schedule = planSchedule(plan);
  if (!schedule) return (await removeSchedule(workflowId, hadSchedule)) ? 'deleted' : 'none';
  return upsertSchedule({ workflowId, version, plan, settings: schedule.settings });
}

const iso = (d: Date) => d.toISOString();

function liveView(state: ScheduleState): LiveScheduleView {
  return {
    paused: state.paused,
    ...(state.note ? { note: state.note } : {}),
    ...(state.workflowVersion !== undefined ? { workflowVersion: state.workflowVersion } : {}),
    nextFireTimes: state.nextFireTimes.slice(0, 5).map(iso),
    recentActions: state.recentActions.map((a) => ({
      runId: a.runId,
      scheduledAt: iso(a.scheduledAt),
      takenAt: iso(a.takenAt),
    })),
    running: state.running,
    actionsTaken: state.actionsTaken,
    skippedOverlap: state.skippedOverlap,
  };
}

const problemOf = (err: unknown) => {
  if (err instanceof ParamError) return err.message;
  throw err;
};

async function publishedView(workflow: Workflow): Promise<ScheduleView['published']> {
  const version = workflow.publishedVersion;
  if (version === null) return null;
  const published = await publishedPlan(workflow.id, version, async () => workflow.name);
  // A version that cannot be read shows nothing here: the editor's other checks report it.
  if (!published.ok || !scheduleBindingOf(published.plan.nodes[published.plan.triggerId])) return null;
  const state = await describeSchedule(workflow.id);
  const live = state ? liveView(state) : null;
  try {
    return { version, timing: timingView(planSchedule(published.plan)!.settings), live };
  } catch (err) {
    return { version, problem: problemOf(err), live };
  }
}

function draftView(workflow: Workflow, now: Date): ScheduleView['draft'] {
  const check = checkForRun(workflow.document, { workflowId: workflow.id, name: workflow.name });
  if (!check.ok || !scheduleBindingOf(check.plan.nodes[check.plan.triggerId])) return null;
  try {
    const { binding, settings } = planSchedule(check.plan)!;
    const next: string[] = [];
    for (const t of binding.fireTimes(settings, now)) if (next.push(iso(t)) >= 5) break;
    return { timing: timingView(settings), nextFireTimes: next };
  } catch (err) {
    return { nextFireTimes: [], problem: problemOf(err) };
  }
}

/** The workflow's schedules: the published version's as Temporal runs it, and the saved draft's preview. */
export async function scheduleView(workflow: Workflow, now = new Date()): Promise<ScheduleView> {
  return {
    workflowId: workflow.id,
    publishedVersion: workflow.publishedVersion,
    published: await publishedView(workflow),
    draft: draftView(workflow, now),
  };
}

/** For the editor page: the view, or why it could not be read (the page opens either way). */
export async function editorScheduleView(workflow: Workflow): Promise<{ view: ScheduleView | null; error?: string }> {
  try {
    return { view: await scheduleView(workflow) };
  } catch (err) {
    return { view: null, error: `The schedule could not be read: ${(err as Error).message}` };
  }
}

/** The published version's schedule, or a Response saying why there is none to act on. */
async function liveSchedule(workflow: Workflow): Promise<{ binding: ScheduleBinding; settings: ScheduleSettings }> {
  const version = workflow.publishedVersion;
  if (version === null)
    throw apiError(409, `Workflow ${workflow.id} is not published, so it has no schedule; publish it first.`);
  const published = await publishedPlan(workflow.id, version, async () => workflow.name);
  if (!published.ok) throw apiError(published.status, published.message, published.diagnostics);
  const trigger = published.plan.nodes[published.plan.triggerId];
  if (!scheduleBindingOf(trigger))
    throw apiError(409, `Published version ${version}'s trigger "${trigger.name}" is not a schedule.`);
  return planSchedule(published.plan)!;
}

/**
 * Runs the slots from `from` to `to` (both included) that the schedule missed, now. Refused, naming the field,
 * when the range is empty, reaches into the future, holds more than MAX_BACKFILL_SLOTS fire times, or holds slots
 * that already have runs (Temporal would start them again under their run ids). Returns the slots it starts.
 */
export async function backfill(workflow: Workflow, from: Date, to: Date, now = new Date()): Promise<Date[]> {
  if (to <= from) throw apiError(400, `to (${iso(to)}) must be after from (${iso(from)}).`);
  if (to > now)
    throw apiError(
      400,
      `to (${iso(to)}) is in the future; a backfill runs past fire times only (the schedule runs the coming ones).`,
    );
  const { binding, settings } = await liveSchedule(workflow);
  const slots: Date[] = [];
  for (const t of binding.fireTimes(settings, new Date(from.getTime() - 1000))) {
    if (t > to) break;
    if (slots.push(t) > MAX_BACKFILL_SLOTS)
      throw apiError(
        400,
        `from–to holds more than ${MAX_BACKFILL_SLOTS} fire times of the schedule (${iso(from)} to ${iso(to)}); ` +
          'backfill a shorter range, a part at a time.',
      );
  }
  if (slots.length === 0)
    throw apiError(400, `The schedule has no fire time from ${iso(from)} to ${iso(to)}, so there is nothing to run.`);
  const ran = await existingRunIds(slots.map((slot) => scheduledRunId(workflow.id, slot)));
  if (ran.length > 0)
    throw apiError(
      409,
      `${ran.length} of the ${slots.length} fire times from ${iso(from)} to ${iso(to)} already have runs (the first ` +
        `is ${ran[0]}); choose from and to around missed fire times only.`,
    );
  await backfillSchedule(workflow.id, from, to, settings.overlap);
  return slots;
}

/** Pauses or resumes the published version's Schedule, noting who did it. */
export async function setPaused(workflow: Workflow, paused: boolean, who: string): Promise<void> {
  await liveSchedule(workflow);
  if (paused) await pauseSchedule(workflow.id, `Paused by ${who}.`);
  else await unpauseSchedule(workflow.id, `Resumed by ${who}.`);
}

/** Starts a run of the published version now, through its Schedule, whatever the overlap policy. */
export async function runNow(workflow: Workflow): Promise<void> {
  await liveSchedule(workflow);
  await triggerSchedule(workflow.id);
}

/** Temporal could not be reached, or has no Schedule: an API answer saying so; other errors are rethrown. */
export function scheduleFailure(err: unknown): Response {
  if (err instanceof Response) return err;
  if (err instanceof NoScheduleError) return apiError(409, `${err.message} If it was just published, publish again.`);
  const message = (err as Error).message ?? String(err);
  if (/Cannot reach Temporal|UNAVAILABLE|ECONNREFUSED/.test(message))
    return apiError(503, `The schedule is in Temporal, which cannot be reached right now: ${message}`);
  throw err;
}
