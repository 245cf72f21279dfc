// Audit entries for what callers do to workflows and runs: publish, unpublish, delete, run start, cancel, terminate.
// Runs that webhooks and schedules start are not audited one by one: a busy webhook would flood the trail, and
// their runs are listed with their trigger in the run history.
import { recordAudit, type AuditAction } from '../../db/audit';
import type { Caller } from './caller.server';

export interface Acting {
  caller: Caller;
  /** The client's address (the load context's `clientIp`). */
  ip: string;
}

export async function auditWorkflowAction(
  { caller, ip }: Acting,
  action: Extract<AuditAction, `workflow.${string}` | `run.${string}`>,
  target: { kind: 'workflow' | 'run'; id: string; name?: string },
  change?: Record<string, unknown>,
): Promise<void> {
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action,
    target,
    ip,
    ...(change ? { change } : {}),
  });
}
