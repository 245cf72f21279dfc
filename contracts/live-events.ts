// Live events and the socket.io contract. Activities (any worker) append events to the store; web
// processes relay them to socket.io rooms; browsers (or any client holding an API token) subscribe.
import type { TokenUsage } from './ai';
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
    }
  /**
   * A model or tool call of an LLM or Agent execution (db/agent-calls.ts): started, streaming, ended. Sent to the
   * web processes' inboxes only, never to the run's log: the call records are what a late reader reads.
   */
  | {
      kind: 'agent';
      runId: string;
      workflowId: string;
      nodeId: string;
      iteration: number;
      workspaceId?: string;
      nodeName?: string;
      /** The execution's transcript key; a sub-agent's has its own. */
      key: string;
      seq: number;
      call: 'model' | 'tool';
      name: string;
      status: 'running' | 'succeeded' | 'failed' | 'rejected';
      at: string;
      /** Model calls: the text streamed since this call's last event. */
      text?: string;
      usage?: TokenUsage;
      costUsd?: number;
      error?: string;
    };

export const runRoom = (runId: string) => `run:${runId}`;
export const workflowRoom = (workflowId: string) => `workflow:${workflowId}`;
/** Every agent event of a workspace (the activity feed). */
export const agentsRoom = (workspaceId: string) => `agents:${workspaceId}`;

/** Server → client: one step or run status change. */
export const RUN_EVENT = 'run-event';

/** Client → server, after connecting: join a run's room or all runs of a workflow. Acknowledged with `SubscribeAck`. */
export const SUBSCRIBE = 'subscribe';
export const UNSUBSCRIBE = 'unsubscribe';

export type SubscribeMessage = { runId: string } | { workflowId: string } | { agentsOf: string };
export type SubscribeAck = { ok: true; room: string } | { ok: false; error: string };
