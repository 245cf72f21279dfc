// An approval request as one person sees it (where the rule stands, whether they can act now), its trail, and the
// inbox filters. Pure: the API, the pages and their components share it.
import type { ApprovalRequest, DataEdit, DecisionVia } from '../../contracts/approvals';
import {
  approvalsNeeded,
  countedDecisions,
  currentLevel,
  pendingDeciders,
  voters,
} from '../../contracts/approval-rules';

/** A request as one person sees it: where it stands, and whether they can act on it now. */
export interface ApprovalView extends ApprovalRequest {
  progress: { approvals: number; rejections: number; needed: number; voters: number };
  /** The current level's deadline, when it has one. */
  deadlineAt?: string;
  you: { canDecide: boolean; decided?: 'approve' | 'reject'; barred: boolean };
}

export function approvalView(request: ApprovalRequest, userId: string): ApprovalView {
  const counted = countedDecisions(request);
  const who = voters(request);
  const mine = [...request.decisions].reverse().find((d) => d.approverId === userId);
  return {
    ...request,
    progress: {
      approvals: counted.filter((d) => d.decision === 'approve').length,
      rejections: counted.filter((d) => d.decision === 'reject').length,
      needed: approvalsNeeded(request.rule, who.length),
      voters: who.length,
    },
    deadlineAt: request.levels[currentLevel(request)]?.deadlineAt,
    you: {
      canDecide: pendingDeciders(request).includes(userId),
      decided: mine?.decision,
      barred: request.barred.includes(userId),
    },
  };
}

export type InboxFilter = 'pending' | 'decided' | 'all';

export function parseInboxFilter(value: string | null): InboxFilter | undefined {
  if (value === null || value === '') return 'pending';
  return value === 'pending' || value === 'decided' || value === 'all' ? value : undefined;
}

/** Whether a request addressed to the user belongs under "decided": closed, or decided by them. */
export function isDecidedFor(request: ApprovalRequest, userId: string): boolean {
  return request.status !== 'pending' || request.decisions.some((d) => d.approverId === userId);
}

/** One line of a request's trail, oldest first. */
export interface TrailEntry {
  at: string;
  kind: 'opened' | 'escalated' | 'delegated' | 'decided' | 'closed';
  /** Who acted (a name when known, else the user id). */
  who?: string;
  text: string;
  via?: DecisionVia;
  /** Shown to callers who may read the audit log. */
  ip?: string;
  comment?: string;
  form?: Record<string, unknown>;
  edits?: DataEdit[];
}

export const STATUS_TEXT: Record<ApprovalRequest['status'], string> = {
  pending: 'waiting for a decision',
  approved: 'approved',
  rejected: 'rejected',
  'timed-out': 'timed out',
  cancelled: 'cancelled (the run ended)',
};
