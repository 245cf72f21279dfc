// `ctx.takeover` for Browser steps (docs/decisions/059): the page stays in this worker, so the wait happens inside the
// node's activity. It resolves who is asked, starts the page relay (browser-takeover-relay.ts), opens the inbox task,
// tells the people asked (their inbox refreshes; an email when the instance has a mail server), and waits until the
// task is closed by a person, the deadline or the run's cancellation. The activity heartbeats all along (run-node.ts),
// so a worker that dies is noticed and the node is retried from scratch elsewhere, superseding this task.
import type { TakeoverTask } from '../contracts/browser-takeover';
import { ROLES } from '../contracts/permissions';
import { pendingCountFor } from '../db/approvals';
import {
  closeTakeover,
  newTakeoverId,
  openTakeover,
  supersedeTakeoversOfStep,
  takeoverStatus,
} from '../db/browser-takeovers';
import { appendEvent, publishApprovalEvent } from '../db/events';
import { getRunUnscoped } from '../db/runs';
import { getWorkflowUnscoped } from '../db/workflows';
import { splitList } from '../nodes/approval/checks';
import type { ApproverSources, RunContext, TakeoverOutcome, TakeoverRequest } from '../nodes/define';
import { NodeError } from '../nodes/errors';
import { resolveLevel } from './approvals';
import { emailTakeover } from './browser-takeover-emails';
import { startPageRelay } from './browser-takeover-relay';

export interface TakeoverSource {
  runId: string;
  workflowId: string;
  nodeId: string;
  nodeName: string;
  iteration: number;
  attempt: number;
  signal: AbortSignal;
  log: RunContext['log'];
}

// How often the waiting activity reads the task: a person's click reaches the run within this.
const POLL_MS = 500;

/** "owner, admin, hr-team, ada@acme.test" → users, groups and roles, as the agent's tool approvers are read. */
export function approverSources(text: string | undefined): ApproverSources {
  const sources: ApproverSources = { users: [], groups: [], roles: [] };
  for (const token of splitList(text?.trim() ? text : 'owner, admin')) {
    if ((ROLES as readonly string[]).includes(token)) sources.roles.push(token);
    else if (token.includes('@') || token.startsWith('usr_')) sources.users.push(token);
    else sources.groups.push(token);
  }
  return sources;
}

const invalid = (message: string) => new NodeError(message, { code: 'takeover-invalid', retryable: false });

/** Tells the people asked that the task opened or closed: their inbox and its badge refresh. */
async function tellInboxes(task: TakeoverTask): Promise<void> {
  await Promise.all(
    task.eligible.map(async (userId) =>
      publishApprovalEvent(
        {
          approvalId: task.id,
          workspaceId: task.workspaceId,
          status: task.status === 'open' ? 'pending' : 'cancelled',
          pendingCount: await pendingCountFor(task.workspaceId, userId),
        },
        [userId],
      ),
    ),
  );
}

/**
 * A run event that restates the run as it stands: the run page's banner (RunTakeoverBanner) reads the run's open tasks
 * again on it, so it appears and goes live. Best effort: the banner's next read catches up.
 */
async function tellRunPage(runId: string, log: RunContext['log']): Promise<void> {
  try {
    const run = await getRunUnscoped(runId);
    if (!run) return;
    const { workflowId, status, awaiting } = run;
    await appendEvent({
      kind: 'run',
      runId,
      workflowId,
      status,
      at: new Date().toISOString(),
      ...(awaiting ? { awaiting } : {}),
    });
  } catch (err) {
    log.warn('The run page was not told of the takeover', { reason: (err as Error).message });
  }
}

async function newTask(source: TakeoverSource, request: TakeoverRequest, id: string): Promise<TakeoverTask> {
  // The workspace comes from the workflow's record, as for credentials (decision 037).
  const workflow = await getWorkflowUnscoped(source.workflowId);
  if (!workflow) throw invalid(`Workflow ${source.workflowId} is gone; nobody can be asked to take over.`);
  let level: { eligible: string[]; from: string[] };
  try {
    level = await resolveLevel(workflow.workspaceId, approverSources(request.approvers));
  } catch (err) {
    throw invalid(`Who is asked: ${(err as Error).message}`);
  }
  if (level.eligible.length === 0)
    throw invalid(`Who is asked: ${level.from.join(', ')} names nobody in this workspace; fix the node's list.`);
  const now = new Date();
  return {
    id,
    workspaceId: workflow.workspaceId,
    workflowId: source.workflowId,
    workflowName: workflow.name,
    runId: source.runId,
    nodeId: source.nodeId,
    nodeName: source.nodeName,
    step: request.step,
    reason: request.reason,
    url: request.surface.url(),
    ...(request.screenshot ? { screenshot: request.screenshot } : {}),
    eligible: level.eligible,
    from: level.from,
    status: 'open',
    attempt: source.attempt,
    createdAt: now.toISOString(),
    deadlineAt: new Date(now.getTime() + request.timeoutMs).toISOString(),
  };
}

/** Waits until the task is no longer open; closes it itself at its deadline or when the run is cancelled. */
async function waitForPerson(task: TakeoverTask, signal: AbortSignal): Promise<TakeoverTask> {
  const deadline = Date.parse(task.deadlineAt);
  for (;;) {
    const current = await takeoverStatus(task.id);
    if (!current) throw new Error(`Takeover task ${task.id} disappeared from the store.`);
    if (current.status !== 'open') return current;
    if (signal.aborted) return (await closeTakeover(task.id, { status: 'cancelled' })) ?? waitForPerson(task, signal);
    if (Date.now() >= deadline)
      return (await closeTakeover(task.id, { status: 'timed-out' })) ?? waitForPerson(task, signal);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}

const OUTCOME: Partial<Record<TakeoverTask['status'], TakeoverOutcome['outcome']>> = {
  done: 'done',
  'gave-up': 'gave-up',
  'timed-out': 'timed-out',
};

const stepKeyOf = (source: Pick<TakeoverSource, 'runId' | 'nodeId' | 'iteration'>) =>
  `${source.runId}:${source.nodeId}:${source.iteration}`;

/**
 * A retried attempt's first act (run-node.ts): tasks its dead predecessor left waiting for a person are closed as
 * superseded, and their people told, whether or not this attempt needs a person too.
 */
export async function supersedeDeadAttempts(
  source: Pick<TakeoverSource, 'runId' | 'nodeId' | 'iteration' | 'log'>,
): Promise<void> {
  const superseded = await supersedeTakeoversOfStep(stepKeyOf(source));
  if (superseded.length === 0) return;
  source.log.info('Takeover tasks of a dead attempt were superseded', { takeoverIds: superseded.map((t) => t.id) });
  await Promise.all([...superseded.map(tellInboxes), tellRunPage(source.runId, source.log)]);
}

export function browserTakeover(source: TakeoverSource): NonNullable<RunContext['takeover']> {
  return async (request) => {
    const id = newTakeoverId();
    const task = await newTask(source, request, id);
    const relay = await startPageRelay(request.surface, source.log);
    try {
      const superseded = await openTakeover({
        task,
        stepKey: stepKeyOf(source),
        relay: { url: relay.url, token: relay.token },
      });
      await Promise.all([tellInboxes(task), ...superseded.map(tellInboxes), tellRunPage(source.runId, source.log)]);
      source.log.info('Waiting for a person to take over the browser', { takeoverId: id, step: request.step });
      const mailed = await emailTakeover(task).catch((err: unknown) => ({ error: (err as Error).message }));
      if ('error' in mailed) source.log.warn('Takeover emails were not sent', { takeoverId: id, reason: mailed.error });
      const closed = await waitForPerson(task, source.signal);
      await Promise.all([tellInboxes(closed), tellRunPage(source.runId, source.log)]);
      const outcome = OUTCOME[closed.status];
      if (!outcome) throw new NodeError(`${request.step}: the takeover was ${closed.status}`, { code: 'cancelled' });
      return {
        outcome,
        ...(closed.decidedBy ? { by: closed.decidedBy.name ?? closed.decidedBy.id } : {}),
        ...(closed.note ? { note: closed.note } : {}),
      };
    } finally {
      await relay.close();
    }
  };
}
