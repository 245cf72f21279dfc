// Human approvals: the request an Approval node opens, the decisions people make on it, and the live events the
// inbox follows. Pure: the interpreter workflow, the activities, the store, the API and the browser all read these
// (docs/decisions/039-approvals.md).

/** How many approvals close the request: any one approver, all of them, or `n` of them. */
export type ApprovalRule = { kind: 'any' } | { kind: 'all' } | { kind: 'n-of-m'; n: number };

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'timed-out' | 'cancelled';

/** Where a decision came from. */
export type DecisionVia = 'inbox' | 'link' | 'api';

export type DecisionKind = 'approve' | 'reject';

/**
 * One field of the form a reviewer fills in; the same widget kinds as the inspector. Hosted forms (nodes/form-trigger,
 * nodes/form) use the same fields, and only they offer `email` and `file` (a file value, contracts/file-ref).
 */
export interface ApprovalFormField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'date' | 'boolean' | 'textarea' | 'email' | 'file';
  required?: boolean;
  /** For `select`. */
  options?: string[];
}

/** A change the reviewer made to the proposed data before approving: JSON pointer, old and new value. */
export interface DataEdit {
  path: string;
  before: unknown;
  after: unknown;
}

/** What a person submits (through the inbox, a link or the API); the approver is the authenticated caller. */
export interface DecisionInput {
  decision: DecisionKind;
  comment?: string;
  /** Values for the request's form fields, by key. */
  form?: Record<string, unknown>;
  /** The proposed data as the reviewer edited it (approve only); absent: unchanged. */
  data?: unknown;
}

/** A decision as recorded: on the request, in the run's history and in the audit log. */
export interface ApprovalDecision extends DecisionInput {
  approverId: string;
  approverName?: string;
  via: DecisionVia;
  at: string;
  ip?: string;
  /** The edits `data` made to the proposed data (absent when unchanged). */
  edits?: DataEdit[];
  /** The level (index into `levels`) the decision was made at; only the current level's decisions count. */
  level?: number;
}

/** One level of the request's approvers; escalation adds a level with a new group and deadline. */
export interface ApprovalLevel {
  /** Users who may decide at this level (ids), resolved when the level opened from users, groups, roles, emails. */
  eligible: string[];
  /** What the level was resolved from, for people to read ("group HR", "role admin", "manager@acme.test"). */
  from: string[];
  openedAt: string;
  deadlineAt?: string;
}

/** An open or closed approval request: one per Approval node execution (per loop iteration). */
export interface ApprovalRequest {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowName: string;
  runId: string;
  nodeId: string;
  nodeName: string;
  /** The loop iteration path, when the node runs inside loops ("3", "3.1"). */
  iteration?: string;
  title: string;
  /** A short text for people, from the node's summary expression. */
  summary?: string;
  /** The data under review (the node's input, or its `data` expression). Large values as a blob reference. */
  data: unknown;
  form: ApprovalFormField[];
  rule: ApprovalRule;
  /** Users who may not decide: the run's starter and the last publisher, when the node bars them. */
  barred: string[];
  levels: ApprovalLevel[];
  /** Delegations: `from` handed their say at `level` to `to`, who decides in their place from then on. */
  delegations: Array<{ from: string; to: string; at: string; level?: number }>;
  decisions: ApprovalDecision[];
  /** Who was told when: the request (on opening, escalating, delegating) and each reminder. */
  notices?: Array<{ kind: 'request' | 'reminder'; level: number; at: string; to: string[] }>;
  status: ApprovalStatus;
  /** What closed it: decisions meeting (or no longer able to meet) the rule, the deadline's policy, a run cancel. */
  closedBy?: 'decisions' | 'deadline' | 'cancel';
  /** The Temporal workflow that holds the request: the run's, or its loop's child workflow inside a loop. */
  temporalWorkflowId?: string;
  /** The node's SMTP credential (id only: secrets stay out of run history), for the emails to approvers. */
  smtpCredentialId?: string;
  createdAt: string;
  closedAt?: string;
}

/** The run-side outcome the Approval node passes downstream on its `approved`, `rejected` or `timed out` output. */
export interface ApprovalOutcome {
  status: Exclude<ApprovalStatus, 'pending' | 'cancelled'>;
  /** The data under review, with the approving reviewers' edits applied. */
  data: unknown;
  /** The form values of the deciding decisions, merged in decision order. */
  form: Record<string, unknown>;
  decisions: ApprovalDecision[];
  approvalId: string;
  /** Who made the deciding decision, and their comment (absent when the deadline decided). */
  approver?: { id: string; name?: string };
  comment?: string;
}

/** Server → client on a user's room: an approval addressed to them opened, changed or closed. */
export const APPROVAL_EVENT = 'approval-event';
export interface ApprovalEvent {
  approvalId: string;
  workspaceId: string;
  status: ApprovalStatus;
  /** The caller's pending count in this workspace after the change (their inbox badge). */
  pendingCount?: number;
}

export const userRoom = (workspaceId: string, userId: string) => `user:${workspaceId}:${userId}`;
