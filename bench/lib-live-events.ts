// A live-events subscriber for benchmarks: a socket.io client holding an API token, in the rooms of some workflows,
// remembering which step statuses it was told about (contracts/live-events.ts is the protocol).
import { io, type Socket } from 'socket.io-client';
import { RUN_EVENT, SUBSCRIBE, type RunEvent, type SubscribeAck } from '../contracts/live-events';

export interface StepKey {
  runId: string;
  nodeId: string;
  iteration?: number;
}

export const stepKeyText = (step: StepKey) => JSON.stringify([step.runId, step.nodeId, step.iteration ?? 0]);

export class LiveEventCounter {
  /** Statuses received per step (stepKeyText). */
  readonly stepStatuses = new Map<string, Set<string>>();
  stepEvents = 0;
  runEvents = 0;
  /** Times the socket reconnected; events sent while it was away are missed. */
  reconnects = 0;

  private constructor(private readonly socket: Socket) {
    socket.on(RUN_EVENT, (event: RunEvent) => {
      if (event.kind === 'run') {
        this.runEvents++;
        return;
      }
      this.stepEvents++;
      const key = stepKeyText(event);
      const statuses = this.stepStatuses.get(key) ?? new Set<string>();
      statuses.add(event.status);
      this.stepStatuses.set(key, statuses);
    });
  }

  static async subscribe(baseUrl: string, token: string, workflowIds: string[]): Promise<LiveEventCounter> {
    const socket = io(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error) => reject(new Error(`Live events: cannot connect: ${error.message}`)));
    });
    const counter = new LiveEventCounter(socket);
    for (const workflowId of workflowIds) {
      const ack = (await socket.timeout(10_000).emitWithAck(SUBSCRIBE, { workflowId })) as SubscribeAck;
      if (!ack.ok) throw new Error(`Live events: subscribing to workflow ${workflowId} was refused: ${ack.error}`);
    }
    // A reconnect (the web restarted) loses the rooms: join them again, and say so, since events may be missed.
    socket.io.on('reconnect', () => {
      counter.reconnects++;
      for (const workflowId of workflowIds) socket.emit(SUBSCRIBE, { workflowId });
    });
    return counter;
  }

  /** Whether a step event with this status arrived. */
  received(step: StepKey, status: string): boolean {
    return this.stepStatuses.get(stepKeyText(step))?.has(status) ?? false;
  }

  close(): void {
    this.socket.close();
  }
}
