// socket.io on the web server: authenticated like the API (session cookie or API token), rooms per run/workflow.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { runRoom } from '../../contracts/live-events';
import { identify } from './auth.server';
import { RUN_EVENT, SUBSCRIBE, UNSUBSCRIBE, workflowRoom, type SubscribeAck } from '../../contracts/live-events';
import type { LiveRelay } from './live-relay.server';

const subscribeSchema = z.union([
  z.object({ runId: z.string().min(1).max(200) }),
  z.object({ workflowId: z.string().min(1).max(200) }),
]);

export function createSocketServer(httpServer: HttpServer): Server {
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  io.use((socket, next) => {
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
    identify({ authorization: socket.request.headers.authorization, cookie: socket.request.headers.cookie, token })
      .then((who) => {
        if (!who)
          return next(new Error('Authentication required: sign in, or pass { auth: { token } } when connecting.'));
        socket.data.userId = who.user.id;
        next();
      })
      .catch((err: unknown) => next(err as Error));
  });
  return io;
}

/** Wires subscribe/unsubscribe; a run subscriber immediately receives what the relay has seen of that run. */
export function handleSubscriptions(io: Server, relay: LiveRelay): void {
  io.on('connection', (socket) => {
    const roomFor = (message: unknown): string | undefined => {
      const parsed = subscribeSchema.safeParse(message);
      if (!parsed.success) return undefined;
      return 'runId' in parsed.data ? runRoom(parsed.data.runId) : workflowRoom(parsed.data.workflowId);
    };

    socket.on(SUBSCRIBE, async (message: unknown, ack?: (a: SubscribeAck) => void) => {
      const room = roomFor(message);
      if (!room) return ack?.({ ok: false, error: 'Subscribe with { runId } or { workflowId }.' });
      await socket.join(room);
      if (message && typeof message === 'object' && 'runId' in message) {
        for (const event of relay.recent(String(message.runId))) socket.emit(RUN_EVENT, event);
      }
      ack?.({ ok: true, room });
    });

    socket.on(UNSUBSCRIBE, async (message: unknown) => {
      const room = roomFor(message);
      if (room) await socket.leave(room);
    });
  });
}
