// One Temporal Schedule per published workflow whose trigger is schedule-bound. The Schedule starts `runGraph` with
// the published plan at each fire time, so runs start whether or not a Baton process is up. Those runs are named by
// Temporal (`<action workflow id>-<slot, RFC 3339>`), take that name as their run id, and read their slot from
// Temporal (workflows/interpreter.ts); their first status write creates their run record.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type CalendarSpec,
  type DayOfWeek,
  type Month,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpec,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { Plan } from '../ir/types';
import type { ScheduleOverlap, ScheduleSettings } from '../nodes/triggers';
import type { RunGraphInput } from '../workflows/messages';
import { getTemporalClient } from './client';
import { allTaskQueues, taskQueueName } from './queues';

const MONTHS: readonly Month[] = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
];
const DAYS: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

const OVERLAP: Record<ScheduleOverlap, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  bufferOne: ScheduleOverlapPolicy.BUFFER_ONE,
  allowAll: ScheduleOverlapPolicy.ALLOW_ALL,
};

// Fire times missed while Temporal was down are made up for only this long after; older ones need a backfill.
const CATCHUP_WINDOW = '5 minutes';

/** The Schedule of a workflow. `BATON_QUEUE_PREFIX` keeps installs (or test files) sharing a namespace apart. */
export function scheduleIdOf(workflowId: string): string {
  return `${process.env.BATON_QUEUE_PREFIX ?? ''}baton-schedule-${workflowId}`;
}

/** What the Schedule's runs are named after: Temporal appends `-<slot>` to make each run's id. */
export function scheduledRunIdPrefix(workflowId: string): string {
  return `run_sched_${workflowId}`;
}

/** The run id Temporal gives the run of one slot (its seconds in UTC, RFC 3339). */
export function scheduledRunId(workflowId: string, slot: Date): string {
  return `${scheduledRunIdPrefix(workflowId)}-${slot.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** Value sets as ranges, runs of equal steps joined: every second second stays one range. */
function ranges(values: number[]): Array<{ start: number; end: number; step: number }> {
  const out: Array<{ start: number; end: number; step: number }> = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i];
    const step = i + 1 < values.length ? values[i + 1] - start : 1;
    let end = start;
    while (i + 1 < values.length && values[i + 1] - values[i] === step) end = values[++i];
    out.push({ start, end, step: end === start ? 1 : step });
    i++;
  }
  return out;
}

/** The Temporal spec of a schedule: cron fields become a calendar of the exact values each field matches. */
export function temporalSpecOf(settings: ScheduleSettings): ScheduleSpec {
  const { timing } = settings;
  let when: Pick<ScheduleSpec, 'calendars' | 'intervals'>;
  if (timing.kind === 'cron') {
    const f = timing.fields;
    const calendar: CalendarSpec = {
      second: ranges(f.second),
      minute: ranges(f.minute),
      hour: ranges(f.hour),
      dayOfMonth: ranges(f.dayOfMonth),
      month: f.month.map((m) => MONTHS[m - 1]),
      dayOfWeek: f.dayOfWeek.map((d) => DAYS[d]),
      comment: timing.expression,
    };
    when = { calendars: [calendar] };
  } else {
    when = { intervals: [{ every: timing.everySeconds * 1000 }] };
  }
  return {
    ...when,
    timezone: settings.timeZone,
    ...(settings.jitterMs > 0 ? { jitter: settings.jitterMs } : {}),
    ...(settings.startAt ? { startAt: settings.startAt } : {}),
    ...(settings.endAt ? { endAt: settings.endAt } : {}),
  };
}

/** What a workflow's Schedule runs: a published version's plan, at the times its trigger's params say. */
export interface ScheduleTarget {
  workflowId: string;
  version: number;
  plan: Plan;
  settings: ScheduleSettings;
}

function definitionOf(target: ScheduleTarget): Omit<ScheduleUpdateOptions, 'state'> {
  const input: RunGraphInput = {
    runId: '',
    plan: target.plan,
    trigger: null,
    taskQueues: allTaskQueues(),
    schedule: { workflowVersion: target.version },
  };
  return {
    spec: temporalSpecOf(target.settings),
    action: {
      type: 'startWorkflow',
      workflowType: 'runGraph',
      workflowId: scheduledRunIdPrefix(target.workflowId),
      taskQueue: taskQueueName('default'),
      args: [input],
      ...(target.plan.runTimeoutMs !== undefined ? { workflowExecutionTimeout: target.plan.runTimeoutMs } : {}),
    },
    policies: { overlap: OVERLAP[target.settings.overlap], catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

/**
 * Creates the workflow's Schedule, or points the existing one at `target` (a newly published version). An existing
 * Schedule keeps its paused state: a publish does not undo a pause.
 */
export async function upsertSchedule(target: ScheduleTarget): Promise<'created' | 'updated'> {
  const client = await getTemporalClient();
  const scheduleId = scheduleIdOf(target.workflowId);
  const definition = definitionOf(target);
  const note = `Runs version ${target.version}.`;
  try {
    await client.schedule.create({ scheduleId, ...definition, state: { note } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    ...definition,
    state: { paused: previous.state.paused, note: previous.state.paused ? previous.state.note : note },
  }));
  return 'updated';
}

/** Deletes the workflow's Schedule; false when it had none. Runs it started go on. */
export async function deleteSchedule(workflowId: string): Promise<boolean> {
  try {
    await (await getTemporalClient()).schedule.getHandle(scheduleIdOf(workflowId)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** The workflow has no Schedule in Temporal (never published with a schedule trigger, or unpublished). */
export class NoScheduleError extends Error {
  constructor(readonly workflowId: string) {
    super(`Workflow ${workflowId} has no schedule in Temporal: publish a version whose trigger is a Schedule.`);
    this.name = 'NoScheduleError';
  }
}

async function withHandle<T>(workflowId: string, use: (handle: ScheduleHandle) => Promise<T>): Promise<T> {
  const handle = (await getTemporalClient()).schedule.getHandle(scheduleIdOf(workflowId));
  try {
    return await use(handle);
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new NoScheduleError(workflowId);
    throw err;
  }
}

export function pauseSchedule(workflowId: string, note: string): Promise<void> {
  return withHandle(workflowId, (h) => h.pause(note));
}

export function unpauseSchedule(workflowId: string, note: string): Promise<void> {
  return withHandle(workflowId, (h) => h.unpause(note));
}

/** Starts a run now, whatever the overlap policy says: the user asked for it. */
export function triggerSchedule(workflowId: string): Promise<void> {
  return withHandle(workflowId, (h) => h.trigger(ScheduleOverlapPolicy.ALLOW_ALL));
}

/**
 * Takes the actions of every fire time from `from` to `to` (both included) now, one after another (or side by side
 * when the schedule allows overlapping runs). Slots that already have a run must be left out by the caller: Temporal
 * would start them again under the same run id.
 */
export function backfillSchedule(workflowId: string, from: Date, to: Date, overlap: ScheduleOverlap): Promise<void> {
  const policy = overlap === 'allowAll' ? ScheduleOverlapPolicy.ALLOW_ALL : ScheduleOverlapPolicy.BUFFER_ALL;
  return withHandle(workflowId, (h) => h.backfill({ start: from, end: to, overlap: policy }));
}

/** What the editor shows of a Schedule. */
export interface ScheduleState {
  scheduleId: string;
  paused: boolean;
  note?: string;
  /** The published version the Schedule starts runs of. */
  workflowVersion?: number;
  /** Temporal's own next fire times, jitter included. */
  nextFireTimes: Date[];
  /** Latest first: the runs it started, when each was due (its slot plus its jitter) and when it started. */
  recentActions: Array<{ runId: string; scheduledAt: Date; takenAt: Date }>;
  running: string[];
  actionsTaken: number;
  skippedOverlap: number;
  missedCatchupWindow: number;
}

function stateOf(d: ScheduleDescription): ScheduleState {
  const input = d.action.args?.[0] as Partial<RunGraphInput> | undefined;
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    ...(d.state.note ? { note: d.state.note } : {}),
    ...(input?.schedule ? { workflowVersion: input.schedule.workflowVersion } : {}),
    nextFireTimes: d.info.nextActionTimes,
    recentActions: d.info.recentActions
      .map((a) => ({ runId: a.action.workflow.workflowId, scheduledAt: a.scheduledAt, takenAt: a.takenAt }))
      .reverse(),
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    actionsTaken: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
  };
}

/** The workflow's Schedule as Temporal has it, or undefined when there is none. */
export async function describeSchedule(workflowId: string): Promise<ScheduleState | undefined> {
  try {
    return stateOf(await (await getTemporalClient()).schedule.getHandle(scheduleIdOf(workflowId)).describe());
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
