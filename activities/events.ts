// Live events: written by activities (any worker), relayed by the web process to socket.io room `run:<runId>`.
import type { RunError, StepStatus } from '../workflows/messages';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export type RunEvent =
  | { kind: 'run'; runId: string; workflowId: string; status: RunStatus; at: string; error?: RunError }
  | {
      kind: 'step';
      runId: string;
      workflowId: string;
      nodeId: string;
      nodeName: string;
      status: StepStatus;
      attempt: number;
      at: string;
      durationMs?: number;
      error?: RunError;
    };

export const runRoom = (runId: string) => `run:${runId}`;
