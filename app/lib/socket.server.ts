// socket.io on the web server: authenticated like the API (session cookie or API token), rooms per run/workflow,
// and each user's own room per workspace for their approval events (`{ inboxOf: workspaceId }` joins the caller's
// room only: the room is named from the authenticated user, never from the message).
// Joining a room needs ROOM_RULES' permission in the workspace that owns the run or workflow, from the user's
// membership there (capped by an API token's scopes; a token acts only in its own workspace). A refused subscribe
// is acknowledged `{ ok: false, error }` and joins nothing; an object of a workspace the user is not in reads as
// missing, as in the API.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { allows, type Permission, type TokenScope } from '../../contracts/permissions';
import { agentsRoom, runRoom } from '../../contracts/live-events';
import { workspaceOfRun } from '../../db/runs';
import { workspaceOfWorkflow } from '../../db/workflows';
import { membershipOf } from '../../db/workspaces';
import { userRoom } from '../../contracts/approvals';
import { ROOM_RULES, type RoomKind } from './access-rules';
import { identify } from './auth.server';
import { RUN_EVENT, SUBSCRIBE, UNSUBSCRIBE, workflowRoom, type SubscribeAck } from '../../contracts/live-events';
import type { LiveRelay } from './live-relay.server';
import { handleBrowserRecorder } from './browser-recorder-socket.server';
import { handleTakeovers } from './browser-takeover.server';

const subscribeSchema = z.union([
  z.object({ runId: z.string().min(1).max(200) }),
  z.object({ workflowId: z.string().min(1).max(200) }),
  z.object({ inboxOf: z.string().min(1).max(200) }),
  z.object({ agentsOf: z.string().min(1).max(200) }),
]);

/** Who the socket is, set at the handshake. */
interface SocketIdentity {
  userId: string;
  /** An API token's scopes; undefined for a browser session. */
  tokenScopes?: readonly TokenScope[];
  /** The workspace an API token acts in. */
  tokenWorkspaceId?: string;
}

export function createSocketServer(httpServer: HttpServer): Server {
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  io.use((socket, next) => {
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
    identify({ authorization: socket.request.headers.authorization, cookie: socket.request.headers.cookie, token })
      .then((who) => {
        if (!who)
          return next(new Error('Authentication required: sign in, or pass { auth: { token } } when connecting.'));
        const identity: SocketIdentity = {
          userId: who.user.id,
          tokenScopes: who.token?.scopes,
          tokenWorkspaceId: who.token?.workspaceId,
        };
        Object.assign(socket.data, identity);
        next();
      })
      .catch((err: unknown) => next(err as Error));
  });
  return io;
}

const MISSING: Record<RoomKind, string> = {
  run: 'Run',
  workflow: 'Workflow',
  user: 'Workspace',
  agents: 'Workspace',
  takeover: 'Takeover',
};

/** The workspace that owns the room's object; for a user room, the workspace named. */
function workspaceOfRoom(kind: RoomKind, id: string): Promise<string | undefined> {
  if (kind === 'run') return workspaceOfRun(id);
  if (kind === 'workflow') return workspaceOfWorkflow(id);
  return Promise.resolve(id);
}

/** Why the socket may not join the room of this run, workflow or its own inbox, or undefined when it may. */
async function refusal(socket: Socket, kind: RoomKind, id: string): Promise<string | undefined> {
  const { userId, tokenScopes, tokenWorkspaceId } = socket.data as SocketIdentity;
  const missing = `${MISSING[kind]} ${id} does not exist.`;
  const workspaceId = await workspaceOfRoom(kind, id);
  if (!workspaceId || (tokenWorkspaceId !== undefined && tokenWorkspaceId !== workspaceId)) return missing;
  const membership = await membershipOf(workspaceId, userId);
  if (!membership) return missing;
  const rule = ROOM_RULES[kind] as Permission;
  if (!allows(membership.role, rule, tokenScopes))
    return `Not allowed: watching ${kind === 'user' ? 'your approvals' : kind === 'agents' ? 'agent activity' : `a ${kind}`} needs ${rule}; you are ${membership.role} in its workspace${
      tokenScopes ? ` with a token scoped to ${tokenScopes.join(', ') || 'nothing'}` : ''
    }.`;
  return undefined;
}

/** Wires subscribe/unsubscribe; a run subscriber immediately receives what the relay has seen of that run. */
export function handleSubscriptions(io: Server, relay: LiveRelay): void {
  // A takeover's live browser has its own join, checked against the task (app/lib/browser-takeover.server.ts).
  handleTakeovers(io);
  // The Browser node recorder's sessions live on the socket that starts them (browser-recorder-socket.server.ts).
  handleBrowserRecorder(io);
  io.on('connection', (socket) => {
    const parse = (message: unknown): { kind: RoomKind; id: string; room: string } | undefined => {
      const parsed = subscribeSchema.safeParse(message);
      if (!parsed.success) return undefined;
      if ('runId' in parsed.data) return { kind: 'run', id: parsed.data.runId, room: runRoom(parsed.data.runId) };
      if ('agentsOf' in parsed.data)
        return { kind: 'agents', id: parsed.data.agentsOf, room: agentsRoom(parsed.data.agentsOf) };
      if ('inboxOf' in parsed.data) {
        const { userId } = socket.data as SocketIdentity;
        return { kind: 'user', id: parsed.data.inboxOf, room: userRoom(parsed.data.inboxOf, userId) };
      }
      return { kind: 'workflow', id: parsed.data.workflowId, room: workflowRoom(parsed.data.workflowId) };
    };

    socket.on(SUBSCRIBE, async (message: unknown, ack?: (a: SubscribeAck) => void) => {
      const target = parse(message);
      if (!target)
        return ack?.({ ok: false, error: 'Subscribe with { runId }, { workflowId }, { inboxOf } or { agentsOf }.' });
      let refused: string | undefined;
      try {
        refused = await refusal(socket, target.kind, target.id);
      } catch (err) {
        console.error(`[live] checking a subscribe to ${target.room} failed:`, err);
        refused = 'The subscription could not be checked; try again.';
      }
      if (refused) return ack?.({ ok: false, error: refused });
      await socket.join(target.room);
      if (target.kind === 'run') for (const event of relay.recent(target.id)) socket.emit(RUN_EVENT, event);
      if (target.kind === 'workflow')
        for (const event of relay.recentRunStatuses(target.id)) socket.emit(RUN_EVENT, event);
      ack?.({ ok: true, room: target.room });
    });

    socket.on(UNSUBSCRIBE, async (message: unknown) => {
      const target = parse(message);
      if (target) await socket.leave(target.room);
    });
  });
}
