// The queue of chat messages of a run started from a Chat trigger. Temporal keeps signals that arrive before their
// handler exists, so the handlers are set when the run's chatting Agent first waits, and nothing sent earlier is lost.
// Module state is the run's own: each workflow execution has its own copy of this module.
import { condition, setHandler } from '@temporalio/workflow';
import { chatCloseSignal, chatMessageSignal, type ChatMessageRequest } from './messages';

let inbox: ChatMessageRequest[] | undefined;
let closed = false;

function open(): ChatMessageRequest[] {
  if (inbox) return inbox;
  const queue: ChatMessageRequest[] = [];
  inbox = queue;
  setHandler(chatMessageSignal, (message) => {
    queue.push(message);
  });
  setHandler(chatCloseSignal, () => {
    closed = true;
  });
  return queue;
}

/** The messages sent since the last call, after waiting up to `idleMs` for one; none: the person left or closed. */
export async function nextChatMessages(idleMs: number): Promise<ChatMessageRequest[]> {
  const queue = open();
  await condition(() => queue.length > 0 || closed, idleMs);
  if (closed) return [];
  return queue.splice(0);
}
