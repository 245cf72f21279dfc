// Words for an approval request that the inbox, the approval page and the email link page share.
import type { ApprovalDecision, ApprovalRequest } from '../../../contracts/approvals';

/** "2 h 5 min left", "overdue by 3 min", or undefined without a deadline. */
export function timeLeftText(deadlineAt: string | undefined, now: number): string | undefined {
  if (!deadlineAt) return undefined;
  const ms = Date.parse(deadlineAt) - now;
  const text = durationText(Math.abs(ms));
  return ms >= 0 ? `${text} left` : `overdue by ${text}`;
}

function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} days`;
}

export function ruleText(rule: ApprovalRequest['rule'], voters: number): string {
  if (rule.kind === 'any') return 'any one approver';
  if (rule.kind === 'all') return `all ${voters} approvers`;
  return `${rule.n} of ${voters} approvers`;
}

const VIA: Record<ApprovalDecision['via'], string> = {
  inbox: 'in the inbox',
  link: 'by email link',
  api: 'through the API',
};

export function decisionText(d: Pick<ApprovalDecision, 'approverName' | 'approverId' | 'decision' | 'via'>): string {
  return `${d.approverName ?? d.approverId} ${d.decision === 'approve' ? 'approved' : 'rejected'} ${VIA[d.via]}`;
}

/** Readable JSON for the data under review. */
export function dataJson(data: unknown): string {
  return data === undefined ? '' : JSON.stringify(data, null, 2);
}

export const STATUS_LABEL: Record<ApprovalRequest['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  'timed-out': 'Timed out',
  cancelled: 'Cancelled',
};

/** The CSS status class (app.css `.badge.<status>`) for a request's status. */
export const STATUS_CLASS: Record<ApprovalRequest['status'], string> = {
  pending: 'warning',
  approved: 'succeeded',
  rejected: 'failed',
  'timed-out': 'timed-out',
  cancelled: 'cancelled',
};
