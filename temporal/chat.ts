// The web's side of a chat run (app/lib/chat.server.ts): each message after the first, and the person closing the
// chat, are signals to the run (workflows/messages.ts). The run queues them until its chatting Agent reads them
// (workflows/chat.ts), so a message sent while the Agent is still answering is kept, not lost.
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { chatCloseSignal, chatMessageSignal, type ChatMessageRequest } from '../workflows/messages';
import { getTemporalClient } from './client';

/** The run has closed on Temporal: nothing more can be sent to it. */
export class ChatEndedError extends Error {
  constructor(readonly runId: string) {
    super(`The conversation of run ${runId} has ended: start a new chat.`);
    this.name = 'ChatEndedError';
  }
}

async function signalRun(runId: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
  const client = await getTemporalClient();
  try {
    await send(client.workflow.getHandle(runId));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new ChatEndedError(runId);
    throw err;
  }
}

/** Sends a person's message to the run; throws ChatEndedError when the run has closed. */
export async function sendChatMessage(runId: string, message: ChatMessageRequest): Promise<void> {
  await signalRun(runId, (handle) => handle.signal(chatMessageSignal, message));
}

/** Tells the run the person closed the chat: its chatting Agent ends with its last answer. */
export async function closeChat(runId: string): Promise<void> {
  await signalRun(runId, (handle) => handle.signal(chatCloseSignal));
}
