// The socket.io contract between the web process and browsers (or any client holding an API token).
import type { RunEvent } from '../../activities/events';

/** Server → client: one step or run status change. */
export const RUN_EVENT = 'run-event';

/** Client → server, after connecting: join a run's room or all runs of a workflow. Acknowledged with `SubscribeAck`. */
export const SUBSCRIBE = 'subscribe';
export const UNSUBSCRIBE = 'unsubscribe';

export type SubscribeMessage = { runId: string } | { workflowId: string };
export type SubscribeAck = { ok: true; room: string } | { ok: false; error: string };

export const workflowRoom = (workflowId: string) => `workflow:${workflowId}`;

export type { RunEvent };
