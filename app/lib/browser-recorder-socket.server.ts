// The recorder's socket handlers: starting a session needs `workflow.write` in the workspace of the workflow being
// edited (capped by an API token's scopes, as rooms are), and the session then belongs to that socket alone: no
// other socket can join it, see its frames or drive it. Sessions end on stop, on disconnect, after 10 idle minutes,
// and are capped per user and in total, since each one holds a browser context in the web process.
import type { Server, Socket } from 'socket.io';
import { z, type ZodType } from 'zod';
import { allows, type Permission, type TokenScope } from '../../contracts/permissions';
import {
  RECORDER_FRAME,
  RECORDER_GOTO,
  RECORDER_INPUT,
  RECORDER_PICK,
  RECORDER_START,
  RECORDER_STATUS,
  RECORDER_STEP,
  RECORDER_STOP,
  type RecorderAck,
  type RecorderStart,
  type RecorderStatusMessage,
} from '../../contracts/browser-recorder';
import { liveInputSchema, type LiveFrame } from '../../contracts/browser-live';
import { workspaceOfWorkflow } from '../../db/workflows';
import { membershipOf } from '../../db/workspaces';
import { RecorderSession } from './browser-recorder.server';

/** What starting a recording needs in the workflow's workspace (app/authorization-matrix.test.ts checks it). */
export const RECORDER_RULE: Permission = 'workflow.write';
export const MAX_RECORDINGS_PER_USER = 2;
export const MAX_RECORDINGS = 6;
export const RECORDER_IDLE_MS = 10 * 60_000;
/** How long a frame may wait for the client's acknowledgement before the next one is sent anyway. */
const FRAME_ACK_TIMEOUT_MS = 10_000;

const url = z.string().trim().min(1, 'Enter the address of a page.').max(2048);
const sessionId = z.string().min(1).max(100);
const startSchema: ZodType<RecorderStart> = z.object({
  workflowId: z.string().min(1).max(200),
  url,
  allowedDomains: z.string().max(4096).optional(),
  viewport: z
    .object({ width: z.number().int().min(200).max(4000), height: z.number().int().min(200).max(4000) })
    .optional(),
});
const inputSchema = z.object({ sessionId, input: liveInputSchema });
const gotoSchema = z.object({ sessionId, url });
const pickSchema = z.object({ sessionId, on: z.boolean(), list: z.boolean().optional() });
const stopSchema = z.object({ sessionId });

const sessions = new Map<string, RecorderSession>();

interface Identity {
  userId: string;
  tokenScopes?: readonly TokenScope[];
  tokenWorkspaceId?: string;
}

/** Why this socket may not record for the workflow, or undefined when it may. */
async function refusal(identity: Identity, workflowId: string): Promise<string | undefined> {
  const missing = `Workflow ${workflowId} does not exist.`;
  const workspaceId = await workspaceOfWorkflow(workflowId);
  if (!workspaceId || (identity.tokenWorkspaceId !== undefined && identity.tokenWorkspaceId !== workspaceId))
    return missing;
  const membership = await membershipOf(workspaceId, identity.userId);
  if (!membership) return missing;
  if (!allows(membership.role, RECORDER_RULE, identity.tokenScopes))
    return `Not allowed: recording browser steps needs ${RECORDER_RULE}; you are ${membership.role} in this workspace.`;
  return undefined;
}

function capRefusal(userId: string): string | undefined {
  const mine = [...sessions.values()].filter((s) => s.userId === userId).length;
  if (mine >= MAX_RECORDINGS_PER_USER)
    return `You already have ${mine} recordings open (at most ${MAX_RECORDINGS_PER_USER}); close one, then try again.`;
  if (sessions.size >= MAX_RECORDINGS)
    return `The server is already recording ${sessions.size} browsers (at most ${MAX_RECORDINGS}); try again in a few minutes.`;
  return undefined;
}

/** Sends frames one at a time: the newest waiting frame goes when the client acknowledged the last. */
function framePump(socket: Socket, sessionId: string): (frame: LiveFrame) => void {
  let waiting: LiveFrame | undefined;
  let inFlight = false;
  const pump = () => {
    if (inFlight || !waiting || socket.disconnected) return;
    const frame = waiting;
    waiting = undefined;
    inFlight = true;
    socket.timeout(FRAME_ACK_TIMEOUT_MS).emit(RECORDER_FRAME, { sessionId, frame }, () => {
      inFlight = false;
      pump();
    });
  };
  return (frame) => {
    waiting = frame;
    pump();
  };
}

function parsed<T>(schema: ZodType<T>, message: unknown): T | undefined {
  const result = schema.safeParse(message);
  return result.success ? result.data : undefined;
}

export function handleBrowserRecorder(io: Server): void {
  io.on('connection', (socket) => {
    const mine = new Map<string, { session: RecorderSession; idle: NodeJS.Timeout }>();
    /** The socket's own session, its idle timer restarted: the only way any message reaches a session. */
    const own = (sessionId: string) => {
      const entry = mine.get(sessionId);
      if (!entry) return undefined;
      entry.idle.refresh();
      return entry.session;
    };

    socket.on(RECORDER_START, async (message: unknown, ack?: (a: RecorderAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const start = startSchema.safeParse(message);
      if (!start.success)
        return reply({ ok: false, error: start.error.issues[0]?.message ?? 'Start with { workflowId, url }.' });
      const identity = socket.data as Identity;
      let refused: string | undefined;
      try {
        refused = (await refusal(identity, start.data.workflowId)) ?? capRefusal(identity.userId);
      } catch (err) {
        console.error('[recorder] checking a start failed:', err);
        refused = 'The recording could not be checked; try again.';
      }
      if (refused) return reply({ ok: false, error: refused });

      const status = (s: Omit<RecorderStatusMessage, 'sessionId'>) =>
        socket.emit(RECORDER_STATUS, { sessionId: session.id, ...s });
      const session: RecorderSession = new RecorderSession(
        identity.userId,
        {
          frame: (frame) => sendFrame(frame),
          step: (step) => socket.emit(RECORDER_STEP, { sessionId: session.id, step }),
          status,
        },
        () => {
          sessions.delete(session.id);
          const entry = mine.get(session.id);
          if (entry) clearTimeout(entry.idle);
          mine.delete(session.id);
        },
      );
      const sendFrame = framePump(socket, session.id);
      // Counted before the browser opens, so two quick starts cannot both pass the cap.
      sessions.set(session.id, session);
      const idle = setTimeout(
        () => void session.close('Closed after 10 minutes without input.'),
        RECORDER_IDLE_MS,
      ).unref();
      mine.set(session.id, { session, idle });
      try {
        await session.open({ allowedDomains: start.data.allowedDomains, viewport: start.data.viewport });
      } catch (err) {
        await session.close('The browser could not start.');
        return reply({ ok: false, error: (err as Error).message });
      }
      reply({ ok: true, sessionId: session.id });
      await session.goto(start.data.url);
    });

    socket.on(RECORDER_INPUT, (message: unknown) => {
      const input = parsed(inputSchema, message);
      if (input) own(input.sessionId)?.input(input.input);
    });
    socket.on(RECORDER_GOTO, (message: unknown) => {
      const goto = parsed(gotoSchema, message);
      if (goto) void own(goto.sessionId)?.goto(goto.url);
    });
    socket.on(RECORDER_PICK, (message: unknown) => {
      const pick = parsed(pickSchema, message);
      if (pick) own(pick.sessionId)?.setPicking(pick.on, pick.list === true);
    });
    socket.on(RECORDER_STOP, async (message: unknown, ack?: () => void) => {
      const stop = parsed(stopSchema, message);
      if (stop) await own(stop.sessionId)?.close('Recording stopped.');
      if (typeof ack === 'function') ack();
    });
    socket.on('disconnect', () => {
      for (const { session } of [...mine.values()]) void session.close('The editor disconnected.');
    });
  });
}

/** Sessions open now, for tests. */
export function openRecordings(): number {
  return sessions.size;
}
