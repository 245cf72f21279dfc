// Approval nodes inside the run: the request opens (activities/approvals.ts resolves and stores it), then the node
// waits on durable timers for its deadline and reminders while people decide through a validated Temporal Update.
// The validators here are the one place that accepts or refuses a decision or a delegation, so the inbox, an email
// link and the API cannot race each other: an accepted decision is in the run's history, and the request as stored,
// before its sender hears back. Each execution of the node (each loop iteration) is a request of its own.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OpenedApproval } from '../activities/approvals';
import {
  applyEdits,
  approvalsNeeded,
  countedDecisions,
  currentLevel,
  diffData,
  formProblem,
  ruleOutcome,
  voters,
} from '../contracts/approval-rules';
import { approvalRefusalType, type ApprovalRefusalReason } from '../contracts/approval-refusals';
import type { ApprovalDecision, ApprovalOutcome, ApprovalRequest, ApprovalStatus } from '../contracts/approvals';
import { resolveParams } from '../ir/params';
import { sha256Hex } from '../ir/sha256';
import type { PlanNode } from '../ir/types';
import { APPROVAL_PORTS } from '../nodes/approval/spec';
import type { ApprovalPlan, ApproverSources } from '../nodes/define';
import { splitList } from '../nodes/approval/checks';
import { ROLES } from '../contracts/permissions';
import type { LocalActivities } from './local-activities';
import {
  approvalDecisionUpdate,
  approvalDelegationUpdate,
  type DecisionRequest,
  type DelegationRequest,
} from './messages';
import type { NodeExecutor, NodeOutcome } from './node-execution';

/** Marks runs that executed an Approval node, so later changes to how approvals run can tell them apart. */
export const APPROVAL_NODES = 'approval-nodes';

const MAX_COMMENT_CHARS = 4000;
const MAX_EDITED_DATA_CHARS = 256 * 1024;

type ApprovalActivities = Pick<Activities, 'openApproval' | 'resolveApprovalLevel' | 'notifyApprovers'>;

interface Tracked {
  request: ApprovalRequest;
  revision: number;
  barredWhy: OpenedApproval['barredWhy'];
}

/**
 * A refused decision or delegation: the message is for the person who tried, the `type` names the reason for the
 * web (contracts/approval-refusals.ts). Replay-safe: a rejected Update leaves no history, and a handler's own check
 * repeats what its validator accepted in the same activation, so it cannot throw.
 */
const refused = (reason: ApprovalRefusalReason, message: string) =>
  ApplicationFailure.create({ type: approvalRefusalType(reason), message, nonRetryable: true });

const isoNow = () => new Date(Date.now()).toISOString();
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const VERB: Record<ApprovalStatus, string> = {
  pending: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  'timed-out': 'timed out',
  cancelled: 'cancelled',
};

/** The approval requests of one workflow execution (the run's, or a loop's child workflow) and their Updates. */
export class Approvals {
  private readonly tracked = new Map<string, Tracked>();
  /**
   * Requests whose opening activity is in flight. Temporal hands a workflow its Updates before the other jobs of an
   * activation, so a decision can arrive in the same activation that resolves `openApproval` (after a worker died
   * between the two, say), before the node tracks the request. Such a decision is accepted and checked in full once
   * the request is tracked, instead of being refused as unknown.
   */
  private readonly opening = new Set<string>();
  readonly remote: ApprovalActivities;

  constructor(
    private readonly records: LocalActivities,
    defaultQueue: string,
  ) {
    this.remote = proxyActivities<Activities>({
      taskQueue: defaultQueue,
      startToCloseTimeout: '1m',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
    });
    setHandler(approvalDecisionUpdate, (req) => this.decide(req), { validator: (req) => this.checkDecision(req) });
    setHandler(approvalDelegationUpdate, (req) => this.delegate(req), {
      validator: (req) => this.checkDelegation(req),
    });
  }

  /** Opens the request through `openApproval`; decisions sent meanwhile wait for it (see `opening`). */
  async openTracked(approvalId: string, open: () => Promise<OpenedApproval>, check: (r: ApprovalRequest) => void) {
    this.opening.add(approvalId);
    try {
      const opened = await open();
      check(opened.request);
      const t = { request: opened.request, revision: 0, barredWhy: opened.barredWhy };
      this.tracked.set(approvalId, t);
      return t;
    } finally {
      this.opening.delete(approvalId);
    }
  }

  /** Waits, for an Update accepted while its request was opening, until the request is tracked or failed to open. */
  private async untilOpened(approvalId: string): Promise<boolean> {
    if (this.tracked.has(approvalId)) return false;
    await condition(() => this.tracked.has(approvalId) || !this.opening.has(approvalId));
    return true;
  }

  /** Writes the request as it now stands; writes leave in order, each with a higher revision. */
  save(t: Tracked): Promise<void> {
    t.revision++;
    return this.records.saveApprovalState({ request: copy(t.request), revision: t.revision });
  }

  /** Notes on the request who is told, stores it, and emails them. */
  async notify(t: Tracked, userIds: string[], kind: 'request' | 'reminder'): Promise<void> {
    const r = t.request;
    (r.notices ??= []).push({ kind, level: currentLevel(r), at: isoNow(), to: userIds });
    await this.save(t);
    await this.remote.notifyApprovers({ request: copy(r), userIds, kind });
  }

  close(t: Tracked, status: Exclude<ApprovalStatus, 'pending'>, by: ApprovalRequest['closedBy']): void {
    t.request.status = status;
    t.request.closedBy = by;
    t.request.closedAt = isoNow();
  }

  private open(approvalId: string): Tracked {
    const t = this.tracked.get(approvalId);
    if (!t) throw refused('closed', `This run has no approval request ${approvalId}.`);
    if (t.request.status !== 'pending')
      throw refused('closed', `Approval "${t.request.title}" is closed: it was ${VERB[t.request.status]}.`);
    return t;
  }

  /** Throws, saying why, unless `userId` can decide at the request's current level now. */
  private checkVoter(t: Tracked, userId: string): void {
    const r = t.request;
    const why = t.barredWhy[userId];
    if (why === 'starter') throw refused('not-allowed', 'You started this run, so you may not approve it.');
    if (why === 'publisher')
      throw refused('not-allowed', 'You published this workflow, so you may not approve its runs.');
    if (!voters(r).includes(userId)) {
      const handed = r.delegations.find((d) => d.from === userId && (d.level ?? 0) === currentLevel(r));
      throw refused(
        'not-allowed',
        handed
          ? `You delegated this approval to user ${handed.to}; they decide in your place.`
          : `You are not an approver of "${r.title}"${r.levels.length > 1 ? ' at its current level' : ''}.`,
      );
    }
    const decided = countedDecisions(r).find((d) => d.approverId === userId);
    if (decided)
      throw refused('already-decided', `You already ${decided.decision === 'approve' ? 'approved' : 'rejected'} this.`);
  }

  private checkDecision({ approvalId, approver, input }: DecisionRequest): void {
    if (this.isOpening(approvalId)) return;
    const t = this.open(approvalId);
    this.checkVoter(t, approver.id);
    if (input.decision !== 'approve' && input.decision !== 'reject')
      throw refused('invalid', `The decision must be "approve" or "reject", not "${String(input.decision)}".`);
    if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.length > MAX_COMMENT_CHARS))
      throw refused('invalid', `The comment must be text of at most ${MAX_COMMENT_CHARS} characters.`);
    const problem = formProblem(t.request.form, input.form, input.decision);
    if (problem) throw refused('invalid', problem);
    if (input.data !== undefined) {
      if (input.decision !== 'approve') throw refused('invalid', 'Only an approval may edit the data under review.');
      if (JSON.stringify(input.data).length > MAX_EDITED_DATA_CHARS)
        throw refused('invalid', `The edited data is larger than ${MAX_EDITED_DATA_CHARS / 1024} KB.`);
    }
  }

  private async decide(req: DecisionRequest): Promise<ApprovalRequest> {
    const { approvalId, approver, input, via, ip } = req;
    if (await this.untilOpened(approvalId)) this.checkDecision(req);
    const t = this.open(approvalId);
    const r = t.request;
    const edits = input.data !== undefined ? diffData(r.data, input.data) : [];
    const decision: ApprovalDecision = {
      decision: input.decision,
      ...(input.comment ? { comment: input.comment } : {}),
      ...(input.form && Object.keys(input.form).length ? { form: input.form } : {}),
      approverId: approver.id,
      ...(approver.name ? { approverName: approver.name } : {}),
      via,
      at: isoNow(),
      ...(ip ? { ip } : {}),
      ...(edits.length ? { edits } : {}),
      level: currentLevel(r),
    };
    r.decisions.push(decision);
    const outcome = ruleOutcome(r);
    if (outcome) this.close(t, outcome, 'decisions');
    await this.save(t);
    return copy(r);
  }

  /** Accepted now, checked once opened: the request is opening and not yet tracked. */
  private isOpening(approvalId: string): boolean {
    return !this.tracked.has(approvalId) && this.opening.has(approvalId);
  }

  private checkDelegation(req: DelegationRequest): void {
    const { approvalId, from, to } = req;
    if (this.isOpening(approvalId)) return;
    const t = this.open(approvalId);
    this.checkVoter(t, from);
    if (to === from) throw refused('invalid', 'You cannot delegate to yourself.');
    if (t.barredWhy[to])
      throw refused('not-allowed', `User ${to} may not approve this run, so they cannot take it over.`);
    if (voters(t.request).includes(to)) throw refused('already-approver', `User ${to} is already an approver of this.`);
  }

  private async delegate(req: DelegationRequest): Promise<ApprovalRequest> {
    const { approvalId, from, to } = req;
    if (await this.untilOpened(approvalId)) this.checkDelegation(req);
    const t = this.open(approvalId);
    t.request.delegations.push({ from, to, at: isoNow(), level: currentLevel(t.request) });
    await this.notify(t, [to], 'request');
    return copy(t.request);
  }
}

/** One request per node execution: the run, the node and the loop iteration name it. */
export function approvalIdOf(runId: string, nodeId: string, iteration: number): string {
  return `apr_${sha256Hex(`${runId}\u0000${nodeId}\u0000${iteration}`).slice(0, 32)}`;
}

/** The output an approval's outcome goes down (also for one a retry takes over, workflows/reuse.ts). */
export const PORT_OF: Record<ApprovalOutcome['status'], string> = {
  approved: APPROVAL_PORTS.approved,
  rejected: APPROVAL_PORTS.rejected,
  'timed-out': APPROVAL_PORTS.timedOut,
};

/** What goes downstream: the data with the approvers' edits, the deciding form values, who decided and why. */
export function outcomeOf(r: ApprovalRequest): ApprovalOutcome {
  const status = r.status as ApprovalOutcome['status'];
  const counted = countedDecisions(r);
  const deciding =
    r.closedBy === 'decisions'
      ? counted.filter((d) => d.decision === (status === 'approved' ? 'approve' : 'reject'))
      : counted;
  const approving = counted.filter((d) => d.decision === 'approve');
  const last = r.closedBy === 'decisions' ? deciding[deciding.length - 1] : undefined;
  return {
    status,
    data: applyEdits(
      r.data,
      approving.flatMap((d) => d.edits ?? []),
    ),
    form: Object.assign({}, ...deciding.map((d) => d.form ?? {})) as Record<string, unknown>,
    decisions: r.decisions,
    approvalId: r.id,
    ...(last ? { approver: { id: last.approverId, ...(last.approverName ? { name: last.approverName } : {}) } } : {}),
    ...(last?.comment ? { comment: last.comment } : {}),
  };
}

/** Fails the node unless the current level has enough people who may approve for the rule. */
function checkEnoughVoters(r: ApprovalRequest): void {
  const m = voters(r).length;
  const needed = approvalsNeeded(r.rule, m);
  const barred = r.barred.length ? ', after barring the run’s starter and the workflow’s last publisher' : '';
  if (m === 0)
    throw new Error(
      `approval "${r.title}" has no one who may approve (${r.levels[r.levels.length - 1]?.from.join(', ')}${barred})`,
    );
  if (needed > m)
    throw new Error(`approval "${r.title}" needs ${needed} approvals but only ${m} people may approve${barred}`);
}

export async function runApproval(ex: NodeExecutor, node: PlanNode): Promise<NodeOutcome> {
  const spec = ex.spec(node);
  if (spec.runtime.kind !== 'approval') throw ex.kindMismatch(node, spec);
  patched(APPROVAL_NODES);
  const input = ex.graph.inputOf(node.id);
  const params = await resolveParams(spec, node.params, ex.scope(input));
  const plan = spec.runtime.plan(params, input, Date.now());
  const startedAt = ex.now();
  await ex.records.recordSteps([ex.record(node, { status: 'running', input, startedAt })]);
  const output = await awaitDecision(ex, node, approvalIdOf(ex.input.runId, node.id, ex.graph.iteration), plan);
  await ex.records.recordSteps([ex.record(node, { status: 'succeeded', input, output, startedAt, endedAt: ex.now() })]);
  return { nodeId: node.id, ok: true, output, status: 'succeeded', port: PORT_OF[output.status] };
}

/**
 * Opens the request `approvalId` for `plan` (an Approval node's, or an agent's tool call, workflows/agents.ts), tells
 * the approvers, and waits on durable timers until it closes: the outcome says how.
 */
export async function awaitDecision(
  ex: NodeExecutor,
  node: PlanNode,
  approvalId: string,
  plan: ApprovalPlan,
): Promise<ApprovalOutcome> {
  const approvals = ex.approvals;
  const iteration = ex.graph.iteration;
  ex.countEvents(3);
  const t = await approvals.openTracked(
    approvalId,
    () =>
      approvals.remote.openApproval({
        approvalId,
        runId: ex.input.runId,
        workflowId: ex.input.plan.workflowId,
        nodeId: node.id,
        nodeName: node.name,
        ...(iteration > 0 ? { iteration: String(iteration) } : {}),
        temporalWorkflowId: workflowInfo().workflowId,
        plan: {
          title: plan.title,
          summary: plan.summary,
          data: plan.data,
          approvers: plan.approvers,
          rule: plan.rule,
          barStarter: plan.barStarter,
          barPublisher: plan.barPublisher,
          form: plan.form,
          deadlineAt: plan.deadlineAt,
          smtpCredentialId: plan.smtpCredentialId,
        },
        createdAt: isoNow(),
      }),
    checkEnoughVoters,
  );
  try {
    await notify(ex, t, voters(t.request), 'request');
    await untilClosed(ex, t, plan);
  } catch (err) {
    // A cancelled run, or a failure after the request opened: the request closes, and people see it closed.
    if (t.request.status === 'pending') {
      approvals.close(t, 'cancelled', 'cancel');
      await CancellationScope.nonCancellable(() => approvals.save(t));
    }
    throw err;
  }
  return outcomeOf(t.request);
}

async function notify(ex: NodeExecutor, t: Tracked, userIds: string[], kind: 'request' | 'reminder'): Promise<void> {
  if (userIds.length === 0) return;
  await ex.approvals.notify(t, userIds, kind);
  ex.countEvents(4);
}

/**
 * Waits for decisions to close the request, on durable timers for the current level's deadline and its reminders;
 * a passing deadline applies the node's policy (escalating opens the next level with its own deadline).
 */
async function untilClosed(ex: NodeExecutor, t: Tracked, plan: ApprovalPlan): Promise<void> {
  const closed = () => t.request.status !== 'pending';
  const sent = new Set<string>();
  let escalated = 0;
  while (!closed()) {
    const level = currentLevel(t.request);
    const opened = t.request.levels[level];
    const deadline = opened.deadlineAt === undefined ? undefined : Date.parse(opened.deadlineAt);
    if (deadline === undefined) {
      await condition(closed);
      return;
    }
    const reminders = plan.remindersMs
      .map((ms, i) => ({ key: `${level}:${i}`, at: deadline - ms }))
      .filter((r) => r.at > Date.parse(opened.openedAt) && !sent.has(r.key));
    const wakeAt = Math.min(deadline, ...reminders.map((r) => r.at));
    ex.countEvents(2);
    if (await condition(closed, Math.max(1, wakeAt - Date.now()))) return;
    const now = Date.now();
    const due = reminders.filter((r) => r.at <= now);
    due.forEach((r) => sent.add(r.key));
    if (now >= deadline) {
      escalated = await onDeadline(ex, t, plan, escalated);
    } else if (due.length > 0) {
      const decided = new Set(countedDecisions(t.request).map((d) => d.approverId));
      await notify(
        ex,
        t,
        voters(t.request).filter((id) => !decided.has(id)),
        'reminder',
      );
    }
  }
}

/** Applies the deadline policy; returns how many escalation levels are open now. */
async function onDeadline(ex: NodeExecutor, t: Tracked, plan: ApprovalPlan, escalated: number): Promise<number> {
  const approvals = ex.approvals;
  if (plan.onDeadline !== 'escalate' || escalated >= plan.escalations.length) {
    const status = plan.onDeadline === 'reject' ? 'rejected' : plan.onDeadline === 'approve' ? 'approved' : 'timed-out';
    approvals.close(t, status, 'deadline');
    await approvals.save(t);
    return escalated;
  }
  const next = plan.escalations[escalated];
  ex.countEvents(3);
  const level = await approvals.remote.resolveApprovalLevel({
    workspaceId: t.request.workspaceId,
    sources: next.approvers,
  });
  if (t.request.status !== 'pending') return escalated; // decided while the level was being resolved
  const openedAt = Date.now();
  t.request.levels.push({
    ...level,
    openedAt: new Date(openedAt).toISOString(),
    deadlineAt: new Date(openedAt + next.durationMs).toISOString(),
  });
  checkEnoughVoters(t.request);
  await notify(ex, t, voters(t.request), 'request');
  return escalated + 1;
}

/** What an agent's tool call asks reviewers (workflows/agents.ts). */
export interface ToolApprovalAsk {
  /** Tells this request apart from the node's others: the transcript key and position of the call. */
  suffix: string;
  title: string;
  summary: string;
  data: unknown;
  /** As written in the node: emails or user ids, group slugs and roles, separated by commas; absent: owners and admins. */
  approvers?: string;
}

/** Asks people whether an agent may make a tool call; anyone listed may decide alone, with no deadline. */
export async function openApprovalFor(
  ex: NodeExecutor,
  node: PlanNode,
  ask: ToolApprovalAsk,
): Promise<ApprovalOutcome> {
  const sources: ApproverSources = { users: [], groups: [], roles: [] };
  for (const token of splitList(ask.approvers ?? 'owner, admin')) {
    if ((ROLES as readonly string[]).includes(token)) sources.roles.push(token);
    else if (token.includes('@') || token.startsWith('usr_')) sources.users.push(token);
    else sources.groups.push(token);
  }
  const plan: ApprovalPlan = {
    title: ask.title,
    summary: ask.summary,
    data: ask.data,
    approvers: sources,
    rule: { kind: 'any' },
    barStarter: false,
    barPublisher: false,
    form: [],
    onDeadline: 'reject',
    escalations: [],
    remindersMs: [],
  };
  const id = approvalIdOf(ex.input.runId, `${node.id}\u0000${ask.suffix}`, ex.graph.iteration);
  return awaitDecision(ex, node, id, plan);
}
