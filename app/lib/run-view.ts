// Run and step shapes as the browser receives them (dates as ISO strings), and how live events fold into them.
import type { RunEvent } from '../../contracts/live-events';
import type { RunInfo } from '../../contracts/run-record';
import type { RunStatus, StepStatus } from '../../contracts/run-status';
import type { StepInfo } from '../../contracts/step-record';

export interface RunState {
  run: RunInfo;
  /** Top-level steps (iteration 0) by node id; a loop's iterations are fetched one at a time (`?iteration=k`). */
  steps: Record<string, StepInfo>;
  /** The run's loop nodes by id, once the steps API has said which they are. */
  loops?: Record<string, LoopSummary>;
}

/** A loop node of a run as `GET /api/runs/:id/steps` sums it up. */
export interface LoopSummary {
  nodeId: string;
  /** Iterations with a step record so far (all of them once the loop has ended). */
  iterations: number;
  failed: number;
  /** The loop's body node ids, in topological order. */
  body: string[];
}

const STEP_RANK: Record<StepStatus, number> = { pending: 0, running: 1, succeeded: 2, failed: 2, skipped: 2 };
const RUN_RANK: Record<RunStatus, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
  terminated: 2,
  'timed-out': 2,
};

/** Later attempts win; within an attempt a finished status is never replaced by an earlier one arriving late. */
function newerStep(current: StepInfo | undefined, next: StepInfo): boolean {
  if (!current) return true;
  if (next.attempt !== current.attempt) return next.attempt > current.attempt;
  return STEP_RANK[next.status] >= STEP_RANK[current.status];
}

/** A value arrives whole or as a preview; whichever form `next` carries replaces the other. */
function withValues<T extends object>(current: T | undefined, next: T, fields: string[]): T {
  const merged = { ...current, ...next } as Record<string, unknown>;
  for (const field of fields) {
    if (field in next) delete merged[`${field}Preview`];
    if (`${field}Preview` in next) delete merged[field];
  }
  return merged as T;
}

export function mergeStep(state: RunState, step: StepInfo): RunState {
  const current = state.steps[step.nodeId];
  if (!newerStep(current, step)) return state;
  // A failed attempt's evidence does not describe the next attempt.
  const kept =
    current && step.attempt > current.attempt ? { ...current, details: undefined, detailsPreview: undefined } : current;
  return {
    ...state,
    steps: { ...state.steps, [step.nodeId]: withValues(kept, step, ['input', 'output', 'details']) },
  };
}

export function mergeRun(state: RunState, run: RunInfo): RunState {
  if (RUN_RANK[run.status] < RUN_RANK[state.run.status])
    return { ...state, run: { ...run, status: state.run.status, error: state.run.error ?? run.error } };
  return { ...state, run: withValues(state.run, run, ['output']) };
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
  // A model or tool call of an agent: the agent panel folds those (app/components/runs), not the step list.
  if (event.kind === 'agent' || !isTopLevelEvent(state, event)) return state;
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

/**
 * Whether a step event is about a top-level step. An event of iteration k > 0 is not; neither is one without an
 * iteration about a loop or body node, as it may be any of their iterations (the REST refresh brings their state).
 */
function isTopLevelEvent(state: RunState, event: Extract<RunEvent, { kind: 'step' }>): boolean {
  if (event.iteration !== undefined) return event.iteration === 0;
  return !state.loops || !loopOrBody(state.loops).has(event.nodeId);
}

function loopOrBody(loops: Record<string, LoopSummary>): Set<string> {
  return new Set(Object.values(loops).flatMap((l) => [l.nodeId, ...l.body]));
}

/**
 * Records the run's loops as the steps API reports them, with its top-level `steps`. Events folded before the loops
 * were known may have put an iteration's status on a loop or body node: those nodes take the API's record (or none).
 */
export function withLoops(state: RunState, loops: LoopSummary[], steps: StepInfo[]): RunState {
  const byId = Object.fromEntries(loops.map((l) => [l.nodeId, l]));
  const fresh = new Map(steps.map((s) => [s.nodeId, s]));
  const next = { ...state.steps };
  for (const id of loopOrBody(byId)) {
    const step = fresh.get(id);
    if (step) next[id] = step;
    else delete next[id];
  }
  return { ...state, steps: next, loops: byId };
}

/** The loop a node belongs to: itself when it is a loop node, its loop when it is in a body. */
export function loopOfNode(loops: Record<string, LoopSummary> | undefined, nodeId: string): LoopSummary | undefined {
  if (!loops) return undefined;
  return loops[nodeId] ?? Object.values(loops).find((l) => l.body.includes(nodeId));
}

/** A wanted iteration brought into 1…count (1 when there are none yet); NaN and fractions fall back to `fallback`. */
export function clampIteration(wanted: number, count: number, fallback = 1): number {
  if (!Number.isFinite(wanted) || !Number.isInteger(wanted)) return Math.min(Math.max(fallback, 1), Math.max(count, 1));
  return Math.min(Math.max(wanted, 1), Math.max(count, 1));
}

const COUNT = new Intl.NumberFormat('en-US');
export const countLabel = (n: number) => COUNT.format(n);

/** "✓ 9,998 · ✗ 2": a loop's iterations that did not fail and those that did. */
export function loopTally(loop: Pick<LoopSummary, 'iterations' | 'failed'>): string {
  const ok = Math.max(loop.iterations - loop.failed, 0);
  return loop.failed > 0 ? `✓ ${countLabel(ok)} · ✗ ${countLabel(loop.failed)}` : `✓ ${countLabel(ok)}`;
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

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Indents compact JSON text that may be cut off anywhere (a preview), two spaces a level, the way
 * `JSON.stringify(value, null, 2)` would have laid out the same text. Strings are copied untouched.
 */
export function indentJsonPrefix(text: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if ((c === '{' || c === '[') && text[i + 1] !== (c === '{' ? '}' : ']')) {
      depth++;
      out += c + newline();
    } else if ((c === '}' || c === ']') && text[i - 1] !== (c === '}' ? '{' : '[')) {
      depth = Math.max(0, depth - 1);
      out += newline() + c;
    } else if (c === ',') {
      out += c + newline();
    } else if (c === ':') {
      out += ': ';
    } else {
      out += c;
    }
  }
  return out;
}
