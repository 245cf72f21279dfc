// Test harness for the web API: a fresh database, a real web server and worker as child processes, the owner
// created through POST /api/setup, and a small authenticated JSON client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { isTerminalRunStatus } from '../contracts/run-status';
import { createApiToken } from '../db/api-tokens';
import { createUser } from '../db/users';
import { addMember, createWorkspace } from '../db/workspaces';
import { freePort, startWeb, startWorker, testDatabaseUri, type ChildHandle } from '../test/stack';

export interface WebStack {
  url: string;
  token: string;
  mongoUri: string;
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { token?: string | null; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Starts one more worker for this stack's queues and database (stopped with the stack). */
  startWorker(): Promise<ChildHandle>;
  stop(): Promise<void>;
}

export async function startWebStack(
  name: string,
  /** `env`: more environment for the web and worker processes (e.g. shorter session limits). */
  opts: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<WebStack> {
  const mongoUri = testDatabaseUri(`baton_test_${name}`);
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  await conn.dropDatabase();
  await conn.close();

  const queuePrefix = `test-${name}-${process.pid}-`;
  const port = await freePort();
  const env = {
    MONGODB_URI: mongoUri,
    BATON_QUEUE_PREFIX: queuePrefix,
    BATON_HOME: mkdtempSync(join(tmpdir(), 'baton-web-')),
    // Links the worker hands out (a Wait node's resume link) point at this web server.
    BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...opts.env,
  };
  const children: ChildHandle[] = [];
  try {
    if (opts.worker) children.push(await startWorker({ queuePrefix, env }));
    const web = await startWeb({ port, env });
    children.push(web);

    const api: WebStack['api'] = async (method, path, body, o = {}) => {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? stack.token : o.token;
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined || o.raw !== undefined) headers['Content-Type'] ??= 'application/json';
      const res = await fetch(`${web.url}${path}`, {
        method,
        headers,
        body: o.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (e.g. an HTML page): tests see the text.
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    };

    const stack: WebStack = {
      url: web.url,
      token: '',
      mongoUri,
      api,
      async startWorker() {
        const worker = await startWorker({ queuePrefix, env });
        children.push(worker);
        return worker;
      },
      async stop() {
        for (const child of children.reverse()) {
          child.kill();
          await child.stopped;
        }
      },
    };
    const setup = await api(
      'POST',
      '/api/setup',
      { email: 'owner@baton.test', name: 'Owner', password: 'owner-password' },
      { token: null },
    );
    if (setup.status !== 201)
      throw new Error(`POST /api/setup answered ${setup.status}: ${JSON.stringify(setup.body)}`);
    stack.token = setup.body.token;
    return stack;
  } catch (err) {
    for (const child of children) child.kill('SIGKILL');
    throw err;
  }
}

/** Polls GET /api/runs/:id until the run has finished. */
export async function waitForRunStatus(stack: WebStack, runId: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await stack.api('GET', `/api/runs/${runId}`);
    if (body?.run && isTerminalRunStatus(body.run.status)) return body.run;
    if (Date.now() > deadline) throw new Error(`Run ${runId} still ${body?.run?.status} after ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts a run of the workflow's draft (POST /api/runs) and waits until it has finished. */
export async function runToEnd(stack: WebStack, workflowId: string, input: unknown = {}): Promise<any> {
  const started = await stack.api('POST', '/api/runs', { workflowId, input });
  if (started.status !== 201)
    throw new Error(`POST /api/runs answered ${started.status}: ${JSON.stringify(started.body)}`);
  return waitForRunStatus(stack, started.body.runId);
}

/**
 * Two callers besides the stack's owner, for authorization cases: a viewer of the default workspace and the owner of
 * another workspace, each with an API token (read, write, run scopes; the role decides). Needs mongoose connected to
 * the stack's database.
 */
export async function viewerAndOutsider(): Promise<{ viewerToken: string; otherToken: string }> {
  const viewer = await createUser({ email: 'viewer@baton.test', name: 'Viewer', password: 'viewer-password' });
  const other = await createUser({ email: 'other@baton.test', name: 'Other', password: 'other-password' });
  await addMember('ws_default', viewer.id, 'viewer');
  const otherWs = await createWorkspace({ name: 'Other', ownerId: other.id });
  const mint = async (userId: string, workspaceId: string) =>
    (await createApiToken({ userId, workspaceId, name: 't', scopes: ['read', 'write', 'run'] })).token;
  return { viewerToken: await mint(viewer.id, 'ws_default'), otherToken: await mint(other.id, otherWs.id) };
}
