// Chats with workflows (issue 11, item 7): the live chat of a workflow (its published version, whose trigger is a
// Chat trigger), starting a conversation (a run of mode `chat`, started by the person), sending it messages and
// closing it (signals, temporal/chat.ts), and reading it back (the chatting Agent's transcript, db/agent-calls.ts).
// Everything is scoped to the caller's workspace: another workspace's workflow or run reads as missing.
import { z } from 'zod';
import { isTerminalRunStatus } from '../../contracts/run-status';
import { callsOfRun, readTranscript } from '../../db/agent-calls';
import { getPlan } from '../../db/plans';
import { listRunPage } from '../../db/run-list';
import { getRun } from '../../db/runs';
import { findStep } from '../../db/steps';
import type { User } from '../../db/users';
import { getWorkflow, type Workflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import type { Plan, PlanNode } from '../../ir/types';
import { registry } from '../../nodes/index';
import { chatBindingOf, type ChatBinding, type ChatPage } from '../../nodes/triggers';
import { ChatEndedError, closeChat, sendChatMessage } from '../../temporal/chat';
import {
  conversationOf,
  MAX_CHAT_MESSAGE,
  type ChatPhase,
  type ChatSessionSummary,
  type ChatSessionView,
} from '../components/chat/chat-state';
import { admitRun } from './admission.server';
import { publishedPlan } from './plan-cache.server';
import { launchRun } from './run-launcher.server';

/** A message as the API takes it: some text, at most 16,000 characters. */
export const chatTextSchema = z.object({
  text: z
    .string({ required_error: 'write the message in `text`', invalid_type_error: 'must be the message as a string' })
    .refine((t) => t.trim().length > 0, 'the message is empty; write something')
    .refine(
      (t) => t.length <= MAX_CHAT_MESSAGE,
      (t) => ({
        message: `the message has ${t.length} characters; the limit is ${MAX_CHAT_MESSAGE.toLocaleString('en-US')}`,
      }),
    ),
});

export interface Refusal {
  ok: false;
  status: number;
  message: string;
  retryAfterSeconds?: number;
}

const refuse = (status: number, message: string): Refusal => ({ ok: false, status, message });

export interface LiveChat {
  workflow: Workflow;
  version: number;
  plan: Plan;
  trigger: PlanNode;
  binding: ChatBinding;
  page: ChatPage;
}

/** The chat of a workflow of the caller's workspace: its published version, started by a Chat trigger. */
export async function findChat(
  scope: WorkspaceScope,
  workflowId: string,
): Promise<{ ok: true; chat: LiveChat } | Refusal> {
  const workflow = await getWorkflow(scope, workflowId);
  if (!workflow) return refuse(404, `Workflow ${workflowId} does not exist.`);
  const version = workflow.publishedVersion;
  if (version === null) return refuse(409, `Workflow "${workflow.name}" is not published: publish it to chat with it.`);
  const published = await publishedPlan(workflow.id, version, async () => workflow.name);
  if (!published.ok) return refuse(published.status, published.message);
  const { plan } = published;
  const trigger = plan.nodes[plan.triggerId];
  const binding = chatBindingOf(trigger);
  if (!binding)
    return refuse(
      409,
      `Workflow "${workflow.name}" does not start with a Chat trigger (version ${version} starts with ` +
        `"${trigger.name}"), so nobody can chat with it.`,
    );
  if (plan.mode === 'express')
    return refuse(409, `Workflow "${workflow.name}" is an express workflow; chats need a standard one.`);
  return {
    ok: true,
    chat: { workflow, version, plan, trigger, binding, page: binding.page(published.triggerParams) },
  };
}

/** Starts a conversation: a run of the published version whose trigger payload is the first message. */
export async function startChat(
  chat: LiveChat,
  user: User,
  text: string,
): Promise<{ ok: true; runId: string } | Refusal> {
  const refusal = await admitRun();
  if (refusal)
    return {
      ...refuse(
        503,
        `Not starting the chat: too many runs wait for a worker. Try again in ${refusal.retryAfterSeconds} s.`,
      ),
      retryAfterSeconds: refusal.retryAfterSeconds,
    };
  const runId = await launchRun({
    plan: chat.plan,
    planStored: true,
    workspaceId: chat.workflow.workspaceId,
    workflowId: chat.workflow.id,
    workflowVersion: chat.version,
    trigger: chat.binding.payload(chat.trigger.params, text, { id: user.id, name: user.name }),
    mode: 'chat',
    startedBy: user.id,
  });
  return { ok: true, runId };
}

/** The Agent of a plan that chats (Conversation "Chat"): the first in the plan's order. */
function chattingAgent(plan: Plan): PlanNode | undefined {
  return plan.order
    .map((id) => plan.nodes[id])
    .find((node) => {
      const spec = registry.get(node.type, node.version);
      return spec?.runtime.kind === 'agent' && node.params.conversation === 'chat';
    });
}

/** The transcript key of a node's first execution (activities/agent-start.ts `agentKeyOf`). */
const agentKey = (runId: string, nodeId: string) => `${runId}:${nodeId}:0`;

interface ChatRun {
  runId: string;
  workflowId: string;
  status: ChatSessionView['status'];
  startedAt: Date;
  endedAt?: Date;
  trigger?: unknown;
  error?: { message: string };
  agent?: PlanNode;
}

/** A chat run of the caller's workspace; another workspace's, or a run that is not a chat, reads as missing. */
async function findChatRun(scope: WorkspaceScope, runId: string): Promise<{ ok: true; run: ChatRun } | Refusal> {
  const run = await getRun(scope, runId);
  if (!run || run.mode !== 'chat') return refuse(404, `Chat ${runId} does not exist.`);
  const plan = await getPlan(run.planHash);
  return { ok: true, run: { ...run, agent: plan ? chattingAgent(plan) : undefined } };
}

/** Where the conversation stands: ended with the run, or earlier when its Agent's step ended. */
async function phaseOf(run: ChatRun): Promise<{ phase: ChatPhase; error?: string }> {
  if (isTerminalRunStatus(run.status)) {
    if (run.status === 'succeeded' || run.status === 'cancelled') return { phase: 'ended' };
    return { phase: 'failed', error: run.error?.message ?? `The run ${run.status}.` };
  }
  const step = run.agent ? await findStep(run.runId, run.agent.id) : undefined;
  if (step?.status === 'failed') return { phase: 'failed', error: step.error?.message ?? 'The assistant failed.' };
  if (step?.status === 'succeeded' || step?.status === 'skipped') return { phase: 'ended' };
  return { phase: 'open' };
}

const firstMessageOf = (trigger: unknown): string | undefined => {
  const message = (trigger as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
};

/** The conversation so far, and where it stands. */
export async function readChat(
  scope: WorkspaceScope,
  runId: string,
): Promise<{ ok: true; session: ChatSessionView } | Refusal> {
  const found = await findChatRun(scope, runId);
  if (!found.ok) return found;
  const { run } = found;
  const { phase, error } = await phaseOf(run);
  let agent: ChatSessionView['agent'];
  let lines: ChatSessionView['lines'] = [];
  if (run.agent) {
    const key = agentKey(run.runId, run.agent.id);
    agent = { nodeId: run.agent.id, name: run.agent.name, key };
    const [transcript, calls] = await Promise.all([readTranscript(key), callsOfRun(run.runId)]);
    const modelSeqs = calls.filter((c) => c.key === key && c.kind === 'model').map((c) => c.seq);
    const firstCall = modelSeqs.length ? Math.min(...modelSeqs) : undefined;
    lines = conversationOf(transcript, firstCall, firstMessageOf(run.trigger));
  }
  return {
    ok: true,
    session: {
      runId: run.runId,
      workflowId: run.workflowId,
      status: run.status,
      phase,
      ...(error ? { error } : {}),
      startedAt: run.startedAt.toISOString(),
      ...(run.endedAt ? { endedAt: run.endedAt.toISOString() } : {}),
      ...(agent ? { agent } : {}),
      lines,
    },
  };
}

/** Refuses a message or a close unless the conversation still reads messages. */
async function openChatRun(scope: WorkspaceScope, runId: string): Promise<{ ok: true; run: ChatRun } | Refusal> {
  const found = await findChatRun(scope, runId);
  if (!found.ok) return found;
  const { phase } = await phaseOf(found.run);
  if (phase !== 'open')
    return refuse(409, `Chat ${runId} has ${phase === 'failed' ? 'failed' : 'ended'}: start a new chat to go on.`);
  return found;
}

/** Signals `runId`; the run having closed on Temporal since it was read is the same refusal as having ended. */
async function signalOpenChat(runId: string, signal: () => Promise<void>): Promise<{ ok: true } | Refusal> {
  try {
    await signal();
  } catch (err) {
    if (err instanceof ChatEndedError) return refuse(409, `Chat ${runId} has ended: start a new chat to go on.`);
    throw err;
  }
  return { ok: true };
}

/** Sends the caller's message to the conversation. */
export async function sendToChat(
  scope: WorkspaceScope,
  runId: string,
  user: User,
  text: string,
): Promise<{ ok: true } | Refusal> {
  const found = await openChatRun(scope, runId);
  if (!found.ok) return found;
  return signalOpenChat(runId, () => sendChatMessage(runId, { text, userId: user.id, userName: user.name }));
}

/** Closes the conversation: the chatting Agent ends with its last answer, and the run goes on from there. */
export async function closeChatRun(scope: WorkspaceScope, runId: string): Promise<{ ok: true } | Refusal> {
  const found = await openChatRun(scope, runId);
  if (!found.ok) return found;
  return signalOpenChat(runId, () => closeChat(runId));
}

const SESSION_LIST_LIMIT = 30;
const TITLE_LENGTH = 80;

/** The caller's own conversations with a workflow, newest first. */
export async function listChats(scope: WorkspaceScope, workflowId: string, user: User): Promise<ChatSessionSummary[]> {
  const page = await listRunPage(
    scope,
    { workflowId, mode: 'chat', startedBy: user.id },
    { limit: SESSION_LIST_LIMIT },
  );
  // The list leaves trigger payloads out; the first message (the title) is read per run.
  const runs = await Promise.all(page.runs.map((r) => getRun(scope, r.runId)));
  return page.runs.map((r, i) => {
    const first = firstMessageOf(runs[i]?.trigger)?.replace(/\s+/g, ' ').trim() ?? '';
    return {
      runId: r.runId,
      open: !isTerminalRunStatus(r.status),
      startedAt: r.startedAt.toISOString(),
      title: first.length > TITLE_LENGTH ? `${first.slice(0, TITLE_LENGTH - 1)}…` : first || 'New chat',
    };
  });
}
