// One run: the one run shape, and the views of it the store, the API and the browser use.
import type { RunError, RunStatus } from './run-status';
import type { ValuePreview } from './step-record';

/** How a run started: by hand, a webhook, a schedule, an Execute workflow node, or another run's failure. */
export type RunMode = 'manual' | 'webhook' | 'form' | 'chat' | 'schedule' | 'subworkflow' | 'error';

/** What a running run can be waiting on (db/runs `setRunAwaiting`). */
export type RunAwaiting = 'approval';

/** A run, generic over how its values (`V`) and times (`T`) are represented. */
export interface RunOf<V, T> {
  runId: string;
  /** The workspace the run belongs to, its workflow's (docs/decisions/036-workspaces.md). */
  workspaceId?: string;
  workflowId: string;
  /** The published version run; absent for a test run of the saved draft. */
  workflowVersion?: number;
  planHash: string;
  status: RunStatus;
  mode: RunMode;
  /** Ran in memory in the web process and was recorded once at its end (docs/decisions/030-express-mode.md). */
  express?: boolean;
  trigger?: V;
  output?: V;
  error?: RunError;
  startedBy?: string;
  /** Runs started by another run (an Execute workflow node, an error workflow): that run and its node. */
  parentRunId?: string;
  parentNodeId?: string;
  /** A retry or re-run of that run (contracts/retries.ts); the run it retries lists it through this field. */
  retryOf?: string;
  /** A retry's nodes whose steps it took over from `retryOf` rather than running them. */
  reusedNodeIds?: string[];
  /** What a running run waits on, when it waits on people: set while an approval request is open. */
  awaiting?: RunAwaiting;
  /** Key → value pairs that nodes' "Tag run" settings set; searchable on the runs page. */
  tags?: Record<string, string>;
  startedAt: T;
  endedAt?: T;
}

/** As the store returns it: values parsed (large ones still blob references), times Dates. */
export type RunView = RunOf<unknown, Date>;

/** As the API sends it: a large output as a preview. `T` is Date on the server, string in JSON. */
export type ClientRunOf<T> = Omit<RunOf<unknown, T>, 'planHash' | 'mode' | 'startedAt'> &
  Partial<Pick<RunOf<unknown, T>, 'planHash' | 'mode' | 'startedAt'>> & { outputPreview?: ValuePreview };

/** What the browser holds for a run (from the API or folded from live events). */
export type RunInfo = ClientRunOf<string>;
