// One socket.io connection per tab, authenticated by the session cookie; re-subscribes after reconnects.
import { io, type Socket } from 'socket.io-client';
import { APPROVAL_EVENT, type ApprovalEvent } from '../../contracts/approvals';
import { agentsRoom, runRoom } from '../../contracts/live-events';
import {
  RUN_EVENT,
  SUBSCRIBE,
  UNSUBSCRIBE,
  workflowRoom,
  type RunEvent,
  type SubscribeMessage,
} from '../../contracts/live-events';

let socket: Socket | undefined;
const subscriptions = new Map<string, { message: SubscribeMessage; listeners: Set<(e: RunEvent) => void> }>();
/** The caller's own approval events, per workspace. */
const inboxes = new Map<string, Set<(e: ApprovalEvent) => void>>();

function connection(): Socket {
  if (socket) return socket;
  socket = io({ withCredentials: true });
  socket.on('connect', () => {
    for (const { message } of subscriptions.values()) socket!.emit(SUBSCRIBE, message);
    for (const workspaceId of inboxes.keys()) socket!.emit(SUBSCRIBE, { inboxOf: workspaceId });
  });
  socket.on(APPROVAL_EVENT, (event: ApprovalEvent) => {
    inboxes.get(event.workspaceId)?.forEach((listener) => listener(event));
  });
  socket.on(RUN_EVENT, (event: RunEvent) => {
    const rooms = [runRoom(event.runId), workflowRoom(event.workflowId)];
    if (event.kind === 'agent' && event.workspaceId) rooms.push(agentsRoom(event.workspaceId));
    for (const key of rooms) {
      subscriptions.get(key)?.listeners.forEach((listener) => listener(event));
    }
  });
  return socket;
}

const roomOf = (message: SubscribeMessage) =>
  'runId' in message
    ? runRoom(message.runId)
    : 'workflowId' in message
      ? workflowRoom(message.workflowId)
      : agentsRoom(message.agentsOf);

/** Listens to a run's (or a workflow's, or a workspace's agent) events; returns the unsubscribe function. */
export function subscribeLive(message: SubscribeMessage, listener: (e: RunEvent) => void): () => void {
  const key = roomOf(message);
  const s = connection();
  let entry = subscriptions.get(key);
  if (!entry) {
    entry = { message, listeners: new Set() };
    subscriptions.set(key, entry);
    if (s.connected) s.emit(SUBSCRIBE, message);
  }
  entry.listeners.add(listener);
  return () => {
    entry.listeners.delete(listener);
    if (entry.listeners.size === 0) {
      subscriptions.delete(key);
      if (s.connected) s.emit(UNSUBSCRIBE, message);
    }
  };
}

/** Listens to the signed-in user's approval events in a workspace (their inbox changed); returns the unsubscribe. */
export function subscribeInbox(workspaceId: string, listener: (e: ApprovalEvent) => void): () => void {
  const s = connection();
  let listeners = inboxes.get(workspaceId);
  if (!listeners) {
    listeners = new Set();
    inboxes.set(workspaceId, listeners);
    if (s.connected) s.emit(SUBSCRIBE, { inboxOf: workspaceId });
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      inboxes.delete(workspaceId);
      if (s.connected) s.emit(UNSUBSCRIBE, { inboxOf: workspaceId });
    }
  };
}
