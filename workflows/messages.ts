// Signals, queries and the run contract, defined once and shared by client and workflow.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TaskQueue } from '../nodes/define';
import type { Plan } from '../ir/types';
import type { RunError, StepStatus } from '../contracts/run-status';

export interface RunGraphInput {
  runId: string;
  plan: Plan;
  /** The trigger payload: manual input, or { body, headers, query, method, path } for webhooks. */
  trigger: unknown;
  /** Concrete Temporal task queue names for the plan's logical queues (the workflow cannot read env). */
  taskQueues: Record<TaskQueue, string>;
}

export interface RunGraphResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Output of the last node(s) to finish, by node name. */
  output: unknown;
  error?: RunError;
}

export interface RunProgress {
  steps: Record<string, StepStatus>; // by node id
}

export const progressQuery = defineQuery<RunProgress>('progress');
export const cancelSignal = defineSignal<[reason?: string]>('cancel');
