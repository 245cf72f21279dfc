// Signals, queries and the run contract, defined once and shared by client and workflow.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TaskQueue, WaitSource } from '../nodes/define';
import type { Plan } from '../ir/types';
import type { RunError, StepStatus } from '../contracts/run-status';
import type { ApprovalRequest, DecisionInput, DecisionVia } from '../contracts/approvals';
import type { StepReuse } from '../contracts/retries';

export interface RunGraphInput {
  runId: string;
  plan: Plan;
  /** The trigger payload: manual input, or { body, headers, query, method, path } for webhooks. */
  trigger: unknown;
  /** Concrete Temporal task queue names for the plan's logical queues (the workflow cannot read env). */
  taskQueues: Record<TaskQueue, string>;
  /**
   * Set when a Temporal Schedule starts the run (temporal/schedules.ts). `runId` is then empty: the run takes
   * Temporal's workflow id, and its trigger payload is the slot Temporal started it for.
   */
  schedule?: { workflowVersion: number };
  /** Lower limits for tests: a loop continues as new after this many history events (workflows/loops.ts). */
  limits?: { loopHistoryEvents?: number };
  /** A retry (temporal/run-retry.ts): the nodes whose steps it takes over from the run it retries. */
  reuse?: StepReuse;
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

/** A chat message for a run started from a Chat trigger (app/routes/chat.*): the chatting Agent reads it next. */
export interface ChatMessageRequest {
  text: string;
  userId: string;
  userName?: string;
}

/** The web sends one per message; the run queues them until its chatting Agent is ready (workflows/chat.ts). */
export const chatMessageSignal = defineSignal<[ChatMessageRequest]>('chatMessage');
/** The person closed the conversation: the chatting Agent ends with its last answer. */
export const chatCloseSignal = defineSignal<[]>('chatClose');

/** Resumes a Wait node that waits for its resume link (`webhook`) or the API (`signal`). */
export interface ResumeRequest {
  nodeId: string;
  source: WaitSource;
  /** The Wait node's output: the resume link's request, or what the API caller sent. */
  data: unknown;
}

/**
 * Validated by the run: an unknown node, a node waiting for something else, or one already resumed, timed out or
 * skipped is refused with an error saying which, and nothing changes. A node the run has not reached yet accepts
 * its resume and goes on at once when it gets there.
 */
export const resumeUpdate = defineUpdate<{ resumed: true }, [ResumeRequest]>('resumeWait');

/** A person's decision on an approval request, sent by the web (temporal/approvals.ts `submitDecision`). */
export interface DecisionRequest {
  approvalId: string;
  approver: { id: string; name?: string };
  input: DecisionInput;
  via: DecisionVia;
  ip?: string;
}

/**
 * Validated by the run, the one place that accepts or refuses a decision (workflows/approvals.ts): the approver must
 * be able to decide at the current level (eligible or a delegate, not barred, not decided yet), the request open, the
 * form filled in right. Accepted, it is recorded before the caller hears back, with the request as it now stands.
 */
export const approvalDecisionUpdate = defineUpdate<ApprovalRequest, [DecisionRequest]>('approvalDecision');

/** `from`, a voter of the request's current level, hands their say to `to`. */
export interface DelegationRequest {
  approvalId: string;
  from: string;
  to: string;
}

export const approvalDelegationUpdate = defineUpdate<ApprovalRequest, [DelegationRequest]>('approvalDelegation');
