// The worker's end of a takeover's live view (docs/decisions/059): a socket.io server on BATON_BROWSER_LIVE_HOST
// (default 127.0.0.1) and a random port, open only to a client presenting the task's random token, which only the web
// server can read back from the store. It streams the page while at least one client watches, and applies the input
// they send after validating it. Web and worker may be on different hosts: the web connects here, never the browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { liveInputSchema } from '../contracts/browser-live';
import { RELAY_FRAME, RELAY_INPUT, RELAY_PAGE } from '../contracts/browser-takeover';
import type { LiveSurface } from '../nodes/define';

export const LIVE_HOST_ENV = 'BATON_BROWSER_LIVE_HOST';
/** The host the web server should dial when the worker binds a wildcard address (0.0.0.0, ::). */
export const LIVE_ADVERTISE_ENV = 'BATON_BROWSER_LIVE_ADVERTISE_HOST';

export interface PageRelay {
  url: string;
  token: string;
  close(): Promise<void>;
}

const sameToken = (given: unknown, token: Buffer) =>
  typeof given === 'string' && Buffer.byteLength(given) === token.length && timingSafeEqual(Buffer.from(given), token);

export async function startPageRelay(
  surface: LiveSurface,
  log: { warn: (msg: string, meta?: Record<string, unknown>) => void },
  env: NodeJS.ProcessEnv = process.env,
): Promise<PageRelay> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const http = createServer((_req, res) => res.writeHead(404).end());
  // Frames are JPEGs of a few hundred KB at most; input messages are small.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  io.use((socket, next) =>
    sameToken(socket.handshake.auth?.token, expected) ? next() : next(new Error('This relay wants its task token.')),
  );

  let stop: (() => Promise<void>) | undefined;
  let starting: Promise<void> | undefined;
  const watchers = () => io.of('/').sockets.size;
  const startWatching = () =>
    (starting ??= surface
      .watch((frame) => io.volatile.emit(RELAY_FRAME, frame))
      .then((stopper) => {
        stop = stopper;
      })
      .catch((err: unknown) => log.warn('The live view could not start', { reason: (err as Error).message }))
      .finally(() => {
        starting = undefined;
      }));
  const stopWatching = async () => {
    await starting;
    const stopper = stop;
    stop = undefined;
    await stopper?.();
  };

  io.on('connection', (socket) => {
    socket.emit(RELAY_PAGE, { url: surface.url() });
    if (!stop) void startWatching();
    socket.on(RELAY_INPUT, (message: unknown) => {
      const parsed = liveInputSchema.safeParse(message);
      if (!parsed.success) return;
      surface
        .apply(parsed.data)
        .then(() => io.emit(RELAY_PAGE, { url: surface.url() }))
        .catch((err: unknown) => log.warn('A live input failed', { reason: (err as Error).message }));
    });
    socket.on('disconnect', () => {
      if (watchers() === 0) void stopWatching();
    });
  });

  const host = env[LIVE_HOST_ENV]?.trim() || '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const advertised = env[LIVE_ADVERTISE_ENV]?.trim() || host;
  const url = `http://${advertised.includes(':') ? `[${advertised}]` : advertised}:${port}`;
  return {
    url,
    token,
    async close() {
      await stopWatching();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
