// Live events and the socket.io contract. Activities (any worker) append events to the store; web
// processes relay them to socket.io rooms; browsers (or any client holding an API token) subscribe.
import type { RunAwaiting } from './run-record';
import type { RunError, RunStatus, StepStatus } from './run-status';

export type RunEvent =
  | {
      kind: 'run';
      runId: string;
      workflowId: string;
      status: RunStatus;
      at: string;
      error?: RunError;
      /** Set while the running run waits on people (db/runs `setRunAwaiting`); absent once it no longer does. */
      awaiting?: RunAwaiting;
    }
  | {
      kind: 'step';
      runId: string;
      workflowId: string;
      nodeId: string;
      nodeName: string;
      iteration?: number;
      status: StepStatus;
      attempt: number;
      at: string;
      durationMs?: number;
      error?: RunError;
    };

export const runRoom = (runId: string) => `run:${runId}`;
export const workflowRoom = (workflowId: string) => `workflow:${workflowId}`;

/** Server → client: one step or run status change. */
export const RUN_EVENT = 'run-event';

/** Client → server, after connecting: join a run's room or all runs of a workflow. Acknowledged with `SubscribeAck`. */
export const SUBSCRIBE = 'subscribe';
export const UNSUBSCRIBE = 'unsubscribe';

export type SubscribeMessage = { runId: string } | { workflowId: string };
export type SubscribeAck = { ok: true; room: string } | { ok: false; error: string };
