// Deciding and delegating approvals from the web (inbox, signed link, API): each goes to the run as a validated
// Temporal Update, so the run alone accepts or refuses it (workflows/approvals.ts) and two decisions from two places
// cannot race. Resolves with the request as the run holds it once the decision is recorded.
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { approvalRefusalReasonOf, type ApprovalRefusalReason } from '../contracts/approval-refusals';
import type { ApprovalRequest, DecisionInput, DecisionVia } from '../contracts/approvals';
import { membershipOf } from '../db/workspaces';
import { approvalDecisionUpdate, approvalDelegationUpdate } from '../workflows/messages';
import { getTemporalClient } from './client';

/** The run refused the decision or delegation: `reason` for code, `message` for the person who tried. */
export class ApprovalRefusedError extends Error {
  constructor(
    readonly reason: ApprovalRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'ApprovalRefusedError';
  }
}

export async function submitDecision(
  approval: ApprovalRequest,
  approver: { id: string; name?: string },
  input: DecisionInput,
  meta: { via: DecisionVia; ip?: string },
): Promise<ApprovalRequest> {
  return sendUpdate(approval, (handle) =>
    handle.executeUpdate(approvalDecisionUpdate, {
      args: [
        {
          approvalId: approval.id,
          approver: { id: approver.id, ...(approver.name ? { name: approver.name } : {}) },
          input,
          via: meta.via,
          ...(meta.ip ? { ip: meta.ip } : {}),
        },
      ],
    }),
  );
}

/** `from` hands their say on the request to `to`, who must be a member of the request's workspace. */
export async function delegateApproval(
  approval: ApprovalRequest,
  from: { id: string },
  to: string,
): Promise<ApprovalRequest> {
  if (!(await membershipOf(approval.workspaceId, to)))
    throw new ApprovalRefusedError(
      'invalid',
      `Cannot delegate to user ${to}: they are not a member of this workspace.`,
    );
  return sendUpdate(approval, (handle) =>
    handle.executeUpdate(approvalDelegationUpdate, { args: [{ approvalId: approval.id, from: from.id, to }] }),
  );
}

async function sendUpdate(
  approval: ApprovalRequest,
  send: (handle: WorkflowHandle) => Promise<ApprovalRequest>,
): Promise<ApprovalRequest> {
  const client = await getTemporalClient();
  const handle = client.workflow.getHandle(approval.temporalWorkflowId ?? approval.runId);
  try {
    return await send(handle);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = refusalReasonOf(err.cause);
      if (reason) throw new ApprovalRefusedError(reason, err.cause!.message);
      throw err;
    }
    if (err instanceof WorkflowNotFoundError || isClosedError(err))
      throw new ApprovalRefusedError('closed', `Approval "${approval.title}" is closed: its run has ended.`);
    throw err;
  }
}

/** The reason a validator named in its failure's `type`; any other failure of the Update is not a refusal. */
function refusalReasonOf(cause: Error | undefined): ApprovalRefusalReason | undefined {
  return cause instanceof ApplicationFailure ? approvalRefusalReasonOf(cause.type) : undefined;
}

/** An Update sent to an execution that has already closed fails with gRPC NOT_FOUND or FAILED_PRECONDITION. */
function isClosedError(err: unknown): boolean {
  const code =
    (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  const message = String((err as Error)?.message ?? '');
  return code === 5 || code === 9 || /workflow execution (already completed|not found)/i.test(message);
}
