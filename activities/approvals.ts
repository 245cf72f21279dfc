// The store side of Approval nodes (workflows/approvals.ts decides; these remember and tell): resolving approvers to
// users, opening a request with the run's context, writing each change with the run's waiting mark and the inbox
// events, and emailing approvers. Configuration the run cannot use (an unknown group, a person outside the
// workspace) fails the node at once, naming what was wrong.
import { ApplicationFailure } from '@temporalio/activity';
import { pendingDeciders } from '../contracts/approval-rules';
import type { ApprovalLevel, ApprovalRequest } from '../contracts/approvals';
import { openApprovalCount, pendingCountFor, saveApproval } from '../db/approvals';
import { publishApprovalEvent } from '../db/events';
import { getRunUnscoped, setRunAwaiting } from '../db/runs';
import { getUserByEmail, getUserById, type User } from '../db/users';
import { getVersion, getWorkflowUnscoped } from '../db/workflows';
import { getGroup, listMembers, membershipOf, systemScope, type Membership } from '../db/workspaces';
import type { ApprovalPlan, ApproverSources } from '../nodes/define';
import { openCredentialForRun } from '../db/credential-use';
import { resolveSmtp, sendApprovalEmails } from './approval-emails';

export interface OpenApprovalInput {
  approvalId: string;
  runId: string;
  workflowId: string;
  nodeId: string;
  nodeName: string;
  iteration?: string;
  temporalWorkflowId: string;
  plan: Omit<ApprovalPlan, 'escalations' | 'remindersMs' | 'onDeadline'>;
  /** Workflow time, ISO. */
  createdAt: string;
}

export interface OpenedApproval {
  request: ApprovalRequest;
  /** Why each barred user is barred, for the refusal they get. */
  barredWhy: Record<string, 'starter' | 'publisher'>;
}

export interface SaveApprovalInput {
  request: ApprovalRequest;
  revision: number;
}

export interface NotifyApproversInput {
  request: ApprovalRequest;
  userIds: string[];
  kind: 'request' | 'reminder';
}

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'approval-invalid');

/** Users named by id or email, members of the workspace; throws naming the first that is not. */
async function usersNamed(workspaceId: string, names: string[]): Promise<User[]> {
  const users: User[] = [];
  for (const name of names) {
    const user = name.includes('@') ? await getUserByEmail(name) : await getUserById(name);
    if (!user) throw refuse(`Approver "${name}" is not a user of this Baton; invite them or fix the approvers.`);
    if (!(await membershipOf(workspaceId, user.id)))
      throw refuse(`Approver "${name}" is not a member of this run's workspace; invite them or fix the approvers.`);
    users.push(user);
  }
  return users;
}

/** The users one level goes to, and what they came from, for people to read. */
export async function resolveLevel(
  workspaceId: string,
  sources: ApproverSources,
): Promise<Pick<ApprovalLevel, 'eligible' | 'from'>> {
  const scope = systemScope(workspaceId);
  const eligible = new Set<string>();
  const from: string[] = [];
  for (const user of await usersNamed(workspaceId, sources.users)) {
    eligible.add(user.id);
    from.push(user.email);
  }
  for (const slug of sources.groups) {
    const group = await getGroup(scope, slug);
    if (!group) throw refuse(`Approver group "${slug}" does not exist in this workspace.`);
    group.userIds.forEach((id) => eligible.add(id));
    from.push(`group ${group.name}`);
  }
  let members: Membership[] | undefined;
  for (const role of sources.roles) {
    members ??= await listMembers(scope);
    members.filter((m) => m.role === role).forEach((m) => eligible.add(m.userId));
    from.push(`role ${role}`);
  }
  return { eligible: [...eligible], from };
}

/** Who published the workflow's live version (else the run's own version), for barring them. */
async function lastPublisher(workflowId: string, runVersion: number | undefined): Promise<string | undefined> {
  const workflow = await getWorkflowUnscoped(workflowId);
  const version = workflow?.publishedVersion ?? runVersion;
  if (version === undefined || version === null) return undefined;
  return (await getVersion(workflowId, version))?.createdBy;
}

async function openApproval(input: OpenApprovalInput): Promise<OpenedApproval> {
  const run = await getRunUnscoped(input.runId);
  if (!run?.workspaceId) throw refuse(`Run ${input.runId} has no record in a workspace; cannot address approvers.`);
  const workflow = await getWorkflowUnscoped(input.workflowId);
  const { plan } = input;
  const barredWhy: Record<string, 'starter' | 'publisher'> = {};
  if (plan.barPublisher) {
    const publisher = await lastPublisher(input.workflowId, run.workflowVersion);
    if (publisher) barredWhy[publisher] = 'publisher';
  }
  if (plan.barStarter && run.startedBy) barredWhy[run.startedBy] = 'starter';
  const level = await resolveLevel(run.workspaceId, plan.approvers);
  const request: ApprovalRequest = {
    id: input.approvalId,
    workspaceId: run.workspaceId,
    workflowId: input.workflowId,
    workflowName: workflow?.name ?? input.workflowId,
    runId: input.runId,
    nodeId: input.nodeId,
    nodeName: input.nodeName,
    ...(input.iteration ? { iteration: input.iteration } : {}),
    title: plan.title,
    ...(plan.summary ? { summary: plan.summary } : {}),
    data: plan.data,
    form: plan.form,
    rule: plan.rule,
    barred: Object.keys(barredWhy),
    levels: [
      {
        ...level,
        openedAt: input.createdAt,
        ...(plan.deadlineAt !== undefined ? { deadlineAt: new Date(plan.deadlineAt).toISOString() } : {}),
      },
    ],
    delegations: [],
    decisions: [],
    status: 'pending',
    temporalWorkflowId: input.temporalWorkflowId,
    ...(plan.smtpCredentialId ? { smtpCredentialId: plan.smtpCredentialId } : {}),
    createdAt: input.createdAt,
  };
  return { request, barredWhy };
}

/** Stores the request, marks the run waiting while any of its requests is open, and tells the inboxes. */
async function saveApprovalState({ request, revision }: SaveApprovalInput): Promise<void> {
  if (!(await saveApproval(request, revision))) return;
  if (request.status === 'pending') await setRunAwaiting(request.runId, 'approval');
  else if ((await openApprovalCount(request.runId)) === 0) await setRunAwaiting(request.runId, undefined);
  const addressed = new Set([...request.levels.flatMap((l) => l.eligible), ...request.delegations.map((d) => d.to)]);
  await Promise.all(
    [...addressed].map(async (userId) =>
      publishApprovalEvent(
        {
          approvalId: request.id,
          workspaceId: request.workspaceId,
          status: request.status,
          pendingCount: await pendingCountFor(request.workspaceId, userId),
        },
        [userId],
      ),
    ),
  );
}

/**
 * Emails `userIds` who can still decide, through the node's SMTP credential (opened here, by id, so no secret is in
 * the run's history) or the instance's mail server. A mail failure is reported, never thrown: the run goes on, and
 * people still find the request in their inbox.
 */
async function notifyApprovers(input: NotifyApproversInput): Promise<{ sent: number; error?: string }> {
  const { request } = input;
  const open = new Set(pendingDeciders(request));
  const users = (await Promise.all(input.userIds.filter((id) => open.has(id)).map((id) => getUserById(id)))).filter(
    (u): u is User => u !== undefined,
  );
  if (users.length === 0) return { sent: 0 };
  try {
    const credential = request.smtpCredentialId
      ? await openCredentialForRun(
          { runId: request.runId, workflowId: request.workflowId, nodeId: request.nodeId },
          request.smtpCredentialId,
        )
      : undefined;
    const recipients = users.map((u) => ({ userId: u.id, email: u.email, name: u.name }));
    const notice = request.notices?.[request.notices.length - 1];
    const { sent } = await sendApprovalEmails(request, recipients, resolveSmtp(credential), {
      kind: input.kind,
      ...(input.kind === 'reminder' && notice ? { at: notice.at } : {}),
    });
    return { sent };
  } catch (err) {
    return { sent: 0, error: (err as Error).message };
  }
}

export function createApprovalActivities() {
  return {
    openApproval,
    resolveApprovalLevel: ({ workspaceId, sources }: { workspaceId: string; sources: ApproverSources }) =>
      resolveLevel(workspaceId, sources),
    saveApprovalState,
    notifyApprovers,
  };
}
