// Why a decision or delegation on an approval is refused, as a machine-readable reason. The run's Update
// validators (workflows/approvals.ts) name it in the refusal's ApplicationFailure `type`, which travels through
// Temporal's update failure to the client (temporal/approvals.ts); the web maps each reason to one HTTP status.

export const APPROVAL_REFUSAL_REASONS = [
  /** The body does not fit the request: the decision, the comment, a form field, the edited data, the delegate. */
  'invalid',
  /** This person may not decide (or hand on) the request: barred, not an approver now, or already delegated. */
  'not-allowed',
  /** This person has already decided the request. */
  'already-decided',
  /** The person a delegation names can already decide the request. */
  'already-approver',
  /** The request is not open in its run: decided, timed out, cancelled, its run has ended, or the run lacks it. */
  'closed',
] as const;

export type ApprovalRefusalReason = (typeof APPROVAL_REFUSAL_REASONS)[number];

const TYPE_PREFIX = 'ApprovalRefused:';

/** The ApplicationFailure `type` a refusal for `reason` carries. */
export function approvalRefusalType(reason: ApprovalRefusalReason): string {
  return `${TYPE_PREFIX}${reason}`;
}

/** The reason named by an ApplicationFailure `type`, or undefined for a failure that is not an approval refusal. */
export function approvalRefusalReasonOf(type: string | null | undefined): ApprovalRefusalReason | undefined {
  if (!type?.startsWith(TYPE_PREFIX)) return undefined;
  const reason = type.slice(TYPE_PREFIX.length);
  return (APPROVAL_REFUSAL_REASONS as readonly string[]).includes(reason)
    ? (reason as ApprovalRefusalReason)
    : undefined;
}
