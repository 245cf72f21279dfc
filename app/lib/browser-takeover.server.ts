// Human takeover on the web (docs/decisions/059): the task as one person sees it, their decision (audited), and the
// live view's socket room. A person joins `takeover:<id>` only when they may decide the task (approval.decide in its
// workspace, and among the people it asks); this process then dials the worker's relay with the task's token (read
// from the store, never sent to a browser) and passes frames to the room and the room's input to the page.
import type { Server, Socket } from 'socket.io';
import { io as dialRelay, type Socket as RelaySocket } from 'socket.io-client';
import { z } from 'zod';
import { liveInputSchema, type LiveFrame } from '../../contracts/browser-live';
import {
  RELAY_FRAME,
  RELAY_INPUT,
  RELAY_PAGE,
  TAKEOVER_FRAME,
  TAKEOVER_INPUT,
  TAKEOVER_JOIN,
  TAKEOVER_LEAVE,
  TAKEOVER_STATE,
  takeoverRoom,
  type TakeoverDecision,
  type TakeoverJoinAck,
  type TakeoverState,
  type TakeoverTask,
} from '../../contracts/browser-takeover';
import { allows, type TokenScope } from '../../contracts/permissions';
import { recordAudit } from '../../db/audit';
import { closeTakeover, takeoverRelay, takeoverStatus } from '../../db/browser-takeovers';
import { membershipOf } from '../../db/workspaces';
import { ROOM_RULES } from './access-rules';
import { can, type Caller } from './caller.server';

export const takeoverDecisionSchema = z
  .object({
    decision: z.enum(['done', 'give-up'], { message: 'must be "done" or "give-up"' }),
    note: z.string().max(2_000).optional(),
  })
  .strict();

/** The task for one person: whether they may finish it, and the time left. */
export interface TakeoverView extends TakeoverTask {
  you: { canDecide: boolean };
}

export function takeoverView(task: TakeoverTask, caller: Caller): TakeoverView {
  return {
    ...task,
    you: {
      canDecide: task.status === 'open' && can(caller, 'approval.decide') && task.eligible.includes(caller.user.id),
    },
  };
}

export class TakeoverRefusedError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 409,
  ) {
    super(message);
  }
}

/** Closes the task with the caller's decision and audits it; refuses a person it does not ask, or a closed task. */
export async function decideTakeover(
  caller: Caller,
  task: TakeoverTask,
  input: { decision: TakeoverDecision; note?: string },
  ip: string,
): Promise<TakeoverTask> {
  if (!task.eligible.includes(caller.user.id))
    throw new TakeoverRefusedError(`This takeover asks ${task.from.join(', ')}; you are not one of them.`, 403);
  const note = input.note?.trim() || undefined;
  const closed = await closeTakeover(task.id, {
    status: input.decision === 'done' ? 'done' : 'gave-up',
    by: { id: caller.user.id, name: caller.user.name },
    ...(note ? { note } : {}),
  });
  if (!closed) {
    const now = await takeoverStatus(task.id);
    throw new TakeoverRefusedError(`This takeover is already closed (${now?.status ?? 'gone'}).`, 409);
  }
  await recordAudit({
    workspaceId: task.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action: 'approval.decide',
    target: { kind: 'browser-takeover', id: task.id, name: task.step },
    ip,
    change: { decision: input.decision, runId: task.runId, nodeId: task.nodeId, ...(note ? { note } : {}) },
  });
  return closed;
}

/** Who the socket is (app/lib/socket.server.ts sets it at the handshake). */
interface SocketIdentity {
  userId: string;
  tokenScopes?: readonly TokenScope[];
  tokenWorkspaceId?: string;
}

/** Why the socket may not watch and drive this task, or undefined when it may. */
async function joinRefusal(socket: Socket, id: string): Promise<string | undefined> {
  const { userId, tokenScopes, tokenWorkspaceId } = socket.data as SocketIdentity;
  const missing = `Takeover ${id} does not exist.`;
  const task = await takeoverStatus(id);
  if (!task || (tokenWorkspaceId !== undefined && tokenWorkspaceId !== task.workspaceId)) return missing;
  const membership = await membershipOf(task.workspaceId, userId);
  if (!membership) return missing;
  if (!allows(membership.role, ROOM_RULES.takeover, tokenScopes))
    return `Not allowed: taking over a browser needs ${ROOM_RULES.takeover}; you are ${membership.role} in its workspace.`;
  if (!task.eligible.includes(userId)) return `This takeover asks ${task.from.join(', ')}; you are not one of them.`;
  if (task.status !== 'open') return `This takeover is closed (${task.status}).`;
  return undefined;
}

const idSchema = z.object({ id: z.string().min(1).max(100) });
const inputMessageSchema = z.object({ id: z.string().min(1).max(100), input: liveInputSchema });

/** Wires the takeover messages on the web's socket server: join, leave, input; frames and state go to the room. */
export function handleTakeovers(io: Server): void {
  const relays = new Map<string, RelaySocket>();
  const state = (id: string, s: Omit<TakeoverState, 'id'>) =>
    io.to(takeoverRoom(id)).emit(TAKEOVER_STATE, { id, ...s });

  const dial = async (id: string) => {
    if (relays.has(id)) return;
    const relay = await takeoverRelay(id);
    if (!relay) return state(id, { live: 'closed', message: 'The takeover is closed.' });
    if (relays.has(id)) return;
    const upstream = dialRelay(relay.url, {
      auth: { token: relay.token },
      transports: ['websocket'],
      reconnectionAttempts: 5,
    });
    relays.set(id, upstream);
    state(id, { live: 'connecting' });
    upstream.on(RELAY_FRAME, (frame: LiveFrame) =>
      io.to(takeoverRoom(id)).volatile.emit(TAKEOVER_FRAME, { id, ...frame }),
    );
    upstream.on(RELAY_PAGE, (page: { url: string }) => state(id, { live: 'live', url: page.url }));
    upstream.io.on('reconnect_failed', () => {
      hangUp(id);
      state(id, { live: 'unreachable', message: 'The worker holding this browser cannot be reached.' });
    });
    upstream.on('disconnect', (reason) => {
      // The worker closes the relay when the task closes: tell the room, which then reads the task's outcome.
      if (reason === 'io server disconnect' || reason === 'transport close') {
        hangUp(id);
        state(id, { live: 'closed', message: 'The browser was released.' });
      }
    });
  };
  const hangUp = (id: string) => {
    relays.get(id)?.close();
    relays.delete(id);
  };
  const hangUpIfAlone = (id: string) => {
    if (!io.sockets.adapter.rooms.get(takeoverRoom(id))?.size) hangUp(id);
  };

  io.on('connection', (socket) => {
    socket.on(TAKEOVER_JOIN, async (message: unknown, ack?: (a: TakeoverJoinAck) => void) => {
      const parsed = idSchema.safeParse(message);
      if (!parsed.success) return ack?.({ ok: false, error: 'Join with { id } of a takeover task.' });
      const { id } = parsed.data;
      let refused: string | undefined;
      try {
        refused = await joinRefusal(socket, id);
      } catch (err) {
        console.error(`[takeover] checking a join of ${id} failed:`, err);
        refused = 'The request could not be checked; try again.';
      }
      if (refused) return ack?.({ ok: false, error: refused });
      await socket.join(takeoverRoom(id));
      ack?.({ ok: true });
      await dial(id).catch((err: unknown) => {
        console.error(`[takeover] dialing the relay of ${id} failed:`, err);
        state(id, { live: 'unreachable', message: 'The worker holding this browser cannot be reached.' });
      });
    });
    socket.on(TAKEOVER_LEAVE, async (message: unknown) => {
      const parsed = idSchema.safeParse(message);
      if (!parsed.success) return;
      await socket.leave(takeoverRoom(parsed.data.id));
      hangUpIfAlone(parsed.data.id);
    });
    socket.on(TAKEOVER_INPUT, (message: unknown) => {
      const parsed = inputMessageSchema.safeParse(message);
      // Only a socket that joined (was checked) drives the page.
      if (!parsed.success || !socket.rooms.has(takeoverRoom(parsed.data.id))) return;
      relays.get(parsed.data.id)?.emit(RELAY_INPUT, parsed.data.input);
    });
    socket.on('disconnecting', () => {
      const joined = [...socket.rooms].filter((room) => room.startsWith('takeover:'));
      setImmediate(() => joined.forEach((room) => hangUpIfAlone(room.slice('takeover:'.length))));
    });
  });
}
