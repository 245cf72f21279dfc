// Run and step shapes as the browser receives them (dates as ISO strings), and how live events fold into them.
import type { RunEvent, RunStatus } from '../../activities/events';
import type { RunError, StepStatus } from '../../workflows/messages';

export interface RunInfo {
  runId: string;
  workflowId: string;
  workflowVersion?: number;
  status: RunStatus;
  mode?: string;
  trigger?: unknown;
  output?: unknown;
  error?: RunError;
  startedAt?: string;
  endedAt?: string;
}

export interface StepInfo {
  nodeId: string;
  nodeName: string;
  type?: string;
  status: StepStatus;
  attempt: number;
  input?: unknown;
  output?: unknown;
  error?: { message: string; code?: string };
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
}

export interface RunState {
  run: RunInfo;
  /** By node id; loops keep the latest iteration. */
  steps: Record<string, StepInfo>;
}

const STEP_RANK: Record<StepStatus, number> = { pending: 0, running: 1, succeeded: 2, failed: 2, skipped: 2 };
const RUN_RANK: Record<RunStatus, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, cancelled: 2 };

/** Later attempts win; within an attempt a finished status is never replaced by an earlier one arriving late. */
function newerStep(current: StepInfo | undefined, next: StepInfo): boolean {
  if (!current) return true;
  if (next.attempt !== current.attempt) return next.attempt > current.attempt;
  return STEP_RANK[next.status] >= STEP_RANK[current.status];
}

export function mergeStep(state: RunState, step: StepInfo): RunState {
  const current = state.steps[step.nodeId];
  if (!newerStep(current, step)) return state;
  return { ...state, steps: { ...state.steps, [step.nodeId]: { ...current, ...step } } };
}

export function mergeRun(state: RunState, run: RunInfo): RunState {
  if (RUN_RANK[run.status] < RUN_RANK[state.run.status])
    return { ...state, run: { ...run, status: state.run.status, error: state.run.error ?? run.error } };
  return { ...state, run: { ...state.run, ...run } };
}

export function applyRunEvent(state: RunState, event: RunEvent): RunState {
  if (event.runId !== state.run.runId) return state;
  if (event.kind === 'run') {
    return mergeRun(state, {
      ...state.run,
      status: event.status,
      error: event.error ?? state.run.error,
      endedAt: RUN_RANK[event.status] === 2 ? event.at : state.run.endedAt,
    });
  }
  return mergeStep(state, {
    nodeId: event.nodeId,
    nodeName: event.nodeName,
    status: event.status,
    attempt: event.attempt,
    durationMs: event.durationMs,
    error: event.error ? { message: event.error.message, code: event.error.code } : undefined,
    ...(event.status === 'running' ? { startedAt: event.at } : { endedAt: event.at }),
  });
}

export const isFinished = (status: RunStatus) => RUN_RANK[status] === 2;

export function durationLabel(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function runDurationMs(run: Pick<RunInfo, 'startedAt' | 'endedAt'>): number | undefined {
  if (!run.startedAt || !run.endedAt) return undefined;
  return new Date(run.endedAt).getTime() - new Date(run.startedAt).getTime();
}
