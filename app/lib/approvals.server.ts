// Deciding approvals from the web: the bodies the API and the pages accept, the view of a request for one person,
// and the one path every decision takes (the run's Update validator accepts or refuses it; an accepted decision is
// audited here with who, how, when, from where, the comment, the form values and the edits).
import { z } from 'zod';
import type { ApprovalRefusalReason } from '../../contracts/approval-refusals';
import type { ApprovalRequest, DecisionInput, DecisionVia } from '../../contracts/approvals';
import { listApprovals, pendingCountFor } from '../../db/approvals';
import { recordAudit, type AuditActor } from '../../db/audit';
import { getUserById } from '../../db/users';
import type { WorkspaceScope } from '../../db/workspaces';
import { ApprovalRefusedError, delegateApproval, submitDecision } from '../../temporal/approvals';
import {
  approvalView,
  isDecidedFor,
  STATUS_TEXT,
  type ApprovalView,
  type InboxFilter,
  type TrailEntry,
} from './approval-view';
import { can, type Caller } from './caller.server';
import { apiError } from './http.server';

/** An edited copy of the data under review can be large; anything past this is refused with 413. */
export const DECISION_BODY_LIMIT = 1024 * 1024;

export const decisionInputSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], { message: 'must be "approve" or "reject"' }),
    comment: z.string().max(4_000).optional(),
    form: z.record(z.unknown()).optional(),
    data: z.unknown().optional(),
  })
  .strict();

export const bulkDecisionSchema = z
  .object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(100),
    decision: z.enum(['approve', 'reject'], { message: 'must be "approve" or "reject"' }),
    comment: z.string().max(4_000).optional(),
  })
  .strict();

export const delegateSchema = z
  .object({ to: z.string().min(1).max(200), comment: z.string().max(4_000).optional() })
  .strict();

/** Who decides and how they came: a signed-in person or token (inbox, api), or a signed email link. */
export interface Decider {
  id: string;
  name?: string;
  via: DecisionVia;
  /** How the caller authenticated, for the audit entry; absent for an email link (the link is the credential). */
  auth?: AuditActor['via'];
  ip?: string;
}

/** The HTTP status for each reason the run refuses (contracts/approval-refusals.ts), in every route that decides. */
const REFUSAL_STATUS: Record<ApprovalRefusalReason, 400 | 403 | 409> = {
  invalid: 400,
  'not-allowed': 403,
  'already-decided': 409,
  'already-approver': 409,
  closed: 409,
};

export function refusalStatus(err: ApprovalRefusedError): 400 | 403 | 409 {
  return REFUSAL_STATUS[err.reason];
}

/** Sends the decision to the run and audits it; throws ApprovalRefusedError when the run refuses it. */
export async function decide(
  approval: ApprovalRequest,
  decider: Decider,
  input: DecisionInput,
): Promise<ApprovalRequest> {
  const updated = await submitDecision(approval, { id: decider.id, name: decider.name }, input, {
    via: decider.via,
    ip: decider.ip,
  });
  const recorded = [...updated.decisions].reverse().find((d) => d.approverId === decider.id);
  await recordAudit({
    workspaceId: approval.workspaceId,
    actor: { id: decider.id, name: decider.name, ...(decider.auth ? { via: decider.auth } : {}) },
    action: 'approval.decide',
    target: { kind: 'approval', id: approval.id, name: approval.title },
    ip: decider.ip,
    change: {
      decision: input.decision,
      via: decider.via,
      runId: approval.runId,
      ...(input.comment ? { comment: input.comment } : {}),
      ...(input.form && Object.keys(input.form).length > 0 ? { form: input.form } : {}),
      ...(recorded?.edits?.length ? { edits: recorded.edits } : {}),
    },
  });
  return updated;
}

/** Hands the decider's say to `to` through the run, and audits it. */
export async function delegate(
  approval: ApprovalRequest,
  decider: Decider,
  to: { id: string; name?: string },
  comment?: string,
): Promise<ApprovalRequest> {
  const updated = await delegateApproval(approval, { id: decider.id }, to.id);
  await recordAudit({
    workspaceId: approval.workspaceId,
    actor: { id: decider.id, name: decider.name, ...(decider.auth ? { via: decider.auth } : {}) },
    action: 'approval.delegate',
    target: { kind: 'approval', id: approval.id, name: approval.title },
    ip: decider.ip,
    change: {
      to: to.id,
      ...(to.name ? { toName: to.name } : {}),
      runId: approval.runId,
      ...(comment ? { comment } : {}),
    },
  });
  return updated;
}

/** The JSON error for a refusal of the run, naming its `reason`, or rethrows anything else. */
export function refusalResponse(err: unknown): Response {
  if (err instanceof ApprovalRefusedError)
    return apiError(refusalStatus(err), err.message, undefined, { reason: err.reason });
  throw err;
}

/** One page of the caller's inbox: requests addressed to them, newest first, with their pending count. */
export async function inboxPage(
  scope: WorkspaceScope,
  filter: InboxFilter,
  page: { cursor?: string; limit?: number } = {},
): Promise<{ items: ApprovalView[]; nextCursor?: string; pendingCount: number }> {
  const userId = scope.userId;
  const [list, pendingCount] = await Promise.all([
    listApprovals(scope, {
      eligibleUserId: userId,
      ...(filter === 'pending' ? { status: 'pending' as const } : {}),
      cursor: page.cursor,
      limit: page.limit,
    }),
    pendingCountFor(scope.workspaceId, userId),
  ]);
  const items = filter === 'decided' ? list.items.filter((r) => isDecidedFor(r, userId)) : list.items;
  return { items: items.map((r) => approvalView(r, userId)), nextCursor: list.nextCursor, pendingCount };
}

/** The decider for a signed-in caller: a token decides `via: 'api'`, a browser session from the inbox. */
export function deciderOf(caller: Caller, ip: string): Decider {
  return {
    id: caller.user.id,
    name: caller.user.name,
    via: caller.via === 'token' ? 'api' : 'inbox',
    auth: caller.via,
    ip,
  };
}

/** What happened to the request, from the request itself: opened, escalations, delegations, decisions, closing. */
export async function approvalTrail(caller: Caller, request: ApprovalRequest): Promise<TrailEntry[]> {
  const showIp = can(caller, 'audit.read');
  const names = new Map(request.decisions.map((d) => [d.approverId, d.approverName ?? d.approverId]));
  for (const id of new Set(request.delegations.flatMap((d) => [d.from, d.to])))
    if (!names.has(id)) names.set(id, (await getUserById(id))?.name ?? id);
  const entries: TrailEntry[] = request.levels.map((level, i) => ({
    at: level.openedAt,
    kind: i === 0 ? 'opened' : 'escalated',
    text: `${i === 0 ? 'Requested from' : 'Escalated to'} ${level.from.join(', ') || `${level.eligible.length} people`}${
      level.deadlineAt ? `, due ${level.deadlineAt}` : ''
    }`,
  }));
  for (const d of request.delegations)
    entries.push({
      at: d.at,
      kind: 'delegated',
      who: names.get(d.from),
      text: `${names.get(d.from)} delegated to ${names.get(d.to)}`,
    });
  for (const d of request.decisions)
    entries.push({
      at: d.at,
      kind: 'decided',
      who: d.approverName ?? d.approverId,
      text: `${d.approverName ?? d.approverId} ${d.decision === 'approve' ? 'approved' : 'rejected'}`,
      via: d.via,
      ...(showIp && d.ip ? { ip: d.ip } : {}),
      ...(d.comment ? { comment: d.comment } : {}),
      ...(d.form && Object.keys(d.form).length > 0 ? { form: d.form } : {}),
      ...(d.edits?.length ? { edits: d.edits } : {}),
    });
  if (request.closedAt)
    entries.push({ at: request.closedAt, kind: 'closed', text: `Closed: ${STATUS_TEXT[request.status]}` });
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}
