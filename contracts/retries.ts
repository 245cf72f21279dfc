// Retrying a run that did not succeed, and re-running any finished run: the shapes the API, the dialog and the
// interpreter share. A retry is a new run linked to the old one (`retryOf`); nodes that succeeded in the old run
// and whose node and inputs are unchanged in the chosen plan are taken over with their outputs, not run again.
import type { RunStatus } from './run-status';

/** Which plan a retry runs: the workflow's published version now, or the plan the old run ran. */
export type RetryVersion = 'current' | 'original';
export const RETRY_VERSIONS: readonly RetryVersion[] = ['current', 'original'];

/** Statuses a run can be retried from; any finished run can be re-run. */
export const RETRYABLE_RUN_STATUSES: readonly RunStatus[] = ['failed', 'cancelled', 'terminated', 'timed-out'];

export interface RetryNode {
  nodeId: string;
  name: string;
  type: string;
}

/** A node with side effects (not pure) that the retry will run again: it ran, or started, in the old run. */
export interface SideEffectNode extends RetryNode {
  /** Its step's status in the old run. */
  previousStatus: string;
}

/** What `GET /api/runs/:id/retry-plan` answers: what a retry on `version` would reuse and run again. */
export interface RetryPlan {
  runId: string;
  version: RetryVersion;
  /** The published version the retry runs; absent for the old run's plan when it was a draft test run. */
  workflowVersion?: number;
  planHash: string;
  /** Taken over from the old run with their outputs, in plan order. */
  reused: RetryNode[];
  /** Run (or evaluated) again, in plan order. */
  rerun: RetryNode[];
  /** Nodes of `rerun` whose effects outside Baton (requests, emails, child runs…) will happen again. */
  sideEffects: SideEffectNode[];
}

/** What the interpreter is told at the start of a retry: the old run and the nodes whose steps it takes over. */
export interface StepReuse {
  fromRunId: string;
  nodeIds: string[];
}
