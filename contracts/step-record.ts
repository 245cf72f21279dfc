// One node execution (run, node, iteration): the one step shape. The store, the workflow, the API and
// the browser each see it through a view derived here, differing only in how values and times travel.
import type { RunError, StepStatus } from './run-status';

/** Where a stored value's full JSON can be downloaded, sent in place of a value too large to send whole. */
export interface ValuePreview {
  truncated: true;
  /** Size of the full JSON text. */
  bytes: number;
  /** Its first bytes, cut anywhere (not parseable JSON). */
  preview: string;
  /** Same-origin URL of the full JSON (`Content-Disposition: attachment`). */
  download: string;
}

export interface StepError {
  message: string;
  code?: string;
}

/** A step, generic over how its values (`V`) and times (`T`) are represented. */
export interface StepOf<V, T> {
  runId: string;
  nodeId: string;
  nodeName: string;
  type: string;
  iteration: number;
  status: StepStatus;
  attempt: number;
  input?: V;
  output?: V;
  /** Size of the output's full JSON. */
  outputSize?: number;
  error?: StepError;
  /**
   * What a failed node left as evidence with its error (NodeError `details`: a Browser node's step records,
   * screenshots and trace as file references), scrubbed of secrets like outputs.
   */
  details?: V;
  startedAt?: T;
  endedAt?: T;
  durationMs?: number;
  /** When the worker was asked to run this attempt (an activity's): `startedAt` minus this is its queue wait. */
  scheduledAt?: T;
  /** The attempts before this one, oldest first (at most 9 kept): the run page draws each as its own bar. */
  attempts?: Array<AttemptOf<T>>;
  /** A retry took this step's result from the run it retries instead of running the node (contracts/retries.ts). */
  reusedFrom?: string;
}

/** One earlier attempt of a step. */
export interface AttemptOf<T> {
  attempt: number;
  scheduledAt?: T;
  startedAt?: T;
  endedAt?: T;
  error?: StepError;
}

/** As stored: values are serialized JSON (large ones as blob references, see db/blobs), times are Dates. */
export type StepRecord = StepOf<string, Date>;

/**
 * As a node the workflow evaluates itself (trigger, branch, merge, delay, a skipped or cancelled node)
 * reports it: values as JSON values, times in workflow milliseconds; the activity stores it.
 */
export type WorkflowStep = Omit<StepOf<unknown, number>, 'attempt' | 'outputSize' | 'durationMs' | 'error'> & {
  workflowId: string;
  error?: RunError;
  /** Write only over a step still running (or absent): used to mark nodes cancelled by fail-fast. */
  onlyIfRunning?: boolean;
};

/** As the API sends it: small values whole, large ones as previews. `T` is Date on the server, string in JSON. */
export type ClientStepOf<T> = Omit<StepOf<unknown, T>, 'runId' | 'type' | 'iteration'> &
  Partial<Pick<StepOf<unknown, T>, 'type' | 'iteration'>> & {
    inputPreview?: ValuePreview;
    outputPreview?: ValuePreview;
    detailsPreview?: ValuePreview;
  };

/** What the browser holds for a step (from the API or folded from live events). */
export type StepInfo = ClientStepOf<string>;
