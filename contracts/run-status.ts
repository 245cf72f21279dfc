// The statuses a run and each of its steps go through, and the error a run or step reports. Pure: the
// browser bundle, the interpreter workflow, the activities and the store all read these.

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'terminated' | 'timed-out';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** Statuses a run never leaves. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'terminated',
  'timed-out',
];

export const isTerminalRunStatus = (status: RunStatus): boolean => TERMINAL_RUN_STATUSES.includes(status);

/** What went wrong in a run, or in one node of it. */
export interface RunError {
  message: string;
  nodeId?: string;
  nodeName?: string;
  code?: string; // see contracts/errors.ts
}
