// The web process: Remix pages and API, socket.io live updates and public webhooks on one HTTP server.
import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import express from 'express';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import mongoose from 'mongoose';
import type { ViteDevServer } from 'vite';
import { connectDb, disconnectDb } from './db/connection';
import { startLiveRelay } from './app/lib/live-relay.server';
import { trustProxySetting } from './app/lib/client-address.server';
import { refuseCrossSiteWrites } from './app/lib/csrf.server';
import { remixLoadContext, securityHeaders } from './app/lib/security-headers.server';
import { createSetupToken, setupTokenNotice } from './app/lib/setup-token.server';
import { createSocketServer, handleSubscriptions } from './app/lib/socket.server';
import { webhookRouter } from './app/lib/webhooks.server';
import { openEventFeed } from './db/events';
import { hasAnyUser, instanceUsers } from './db/users';
import { DEFAULT_WORKSPACE_NAME, migrateToWorkspaces } from './db/workspaces';
import { backfillRunBuckets } from './db/runs';
import { seedOfficialListingsAtStart } from './app/lib/marketplace-seed.server';

const root = dirname(fileURLToPath(import.meta.url));
const serverBuildPath = join(root, 'build/server/index.js');

export interface WebServer {
  url: string;
  /** The line to print while Baton has no owner: the one-time link for setting it up from another machine. */
  setupNotice?: string;
  close(): Promise<void>;
}

/** Production serves the `remix vite:build` output; anything else runs Vite in middleware mode. */
async function remixMiddleware(
  app: express.Express,
  httpServer: HttpServer,
  getLoadContext: ReturnType<typeof remixLoadContext>,
): Promise<ViteDevServer | undefined> {
  if (process.env.NODE_ENV === 'production') {
    if (!existsSync(serverBuildPath))
      throw new Error(
        `No production build at ${serverBuildPath}: run \`npm run build\` first, or unset NODE_ENV=production for development.`,
      );
    app.use('/assets', express.static(join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(join(root, 'build/client'), { maxAge: '1h' }));
    const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
    app.all('*', createRequestHandler({ build, mode: 'production', getLoadContext }));
    return undefined;
  }
  // A dev server is a development build whoever starts it (jest sets NODE_ENV=test). It also keeps Vite's
  // dependency cache valid across starts: its hash includes NODE_ENV.
  process.env.NODE_ENV = 'development';
  const vite = await import('vite');
  // HMR shares our HTTP server so that several web processes (tests) never fight over Vite's default port.
  const viteDev = await vite.createServer({ root, server: { middlewareMode: true, hmr: { server: httpServer } } });
  // Pre-bundle browser dependencies before serving, so that no page loads half-optimized modules.
  const optimizer = viteDev.environments.client.depsOptimizer;
  await optimizer?.init();
  await Promise.all(Object.values(optimizer?.metadata.discovered ?? {}).map((dep) => dep.processing));
  app.use(viteDev.middlewares);
  app.all(
    '*',
    createRequestHandler({
      build: () => viteDev.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      mode: 'development',
      getLoadContext,
    }),
  );
  return viteDev;
}

export async function startWeb({ port }: { port: number }): Promise<WebServer> {
  await connectDb();
  await upgradeToWorkspaces();
  // Runs recorded before the runs page get the start buckets it lists by (once per database).
  await backfillRunBuckets();
  // The official marketplace listings, from templates/ (docs/decisions/068).
  await seedOfficialListingsAtStart();
  const app = express();
  const httpServer = createServer(app);
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting());
  app.use(securityHeaders);
  app.get('/healthz', (_req, res) => {
    const dbUp = mongoose.connection.readyState === 1;
    res.status(dbUp ? 200 : 503).json({ ok: dbUp, db: dbUp ? 'up' : 'down' });
  });
  app.use(webhookRouter());
  app.use(refuseCrossSiteWrites);
  const setupToken = createSetupToken({ ownerExists: await hasAnyUser() });
  const vite = await remixMiddleware(app, httpServer, remixLoadContext(setupToken));

  const io = createSocketServer(httpServer);
  const relay = startLiveRelay(io, openEventFeed());
  handleSubscriptions(io, relay);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, () => resolve());
  });
  const address = httpServer.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://localhost:${boundPort}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await relay.stop();
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
      await vite?.close();
    })());
  const setupNotice = setupToken.value ? setupTokenNotice(setupToken.value, boundPort) : undefined;
  return { url, setupNotice, close };
}

/** An install from before workspaces: its owner gets a default workspace holding everything (decision 036). */
async function upgradeToWorkspaces() {
  const { ownerId, otherIds } = await instanceUsers();
  const moved = await migrateToWorkspaces(ownerId, otherIds);
  if (moved && Object.values(moved.moved).some((n) => n > 0))
    console.log(`[baton] Moved existing workflows and runs into the workspace "${DEFAULT_WORKSPACE_NAME}".`);
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const web = await startWeb({ port });
  console.log(`Baton web listening on ${web.url}`);
  if (web.setupNotice) console.log(web.setupNotice);
  const shutdown = (signal: string) => {
    console.log(`Received ${signal}, closing the web server…`);
    web
      .close()
      .then(() => disconnectDb())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`Baton web failed to start: ${(err as Error).message}`);
    process.exit(1);
  });
}
