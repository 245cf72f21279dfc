// Real processes for integration tests: a worker (temporal/worker.ts) and the web server as children of
// the test, a loopback HTTP sink that records what nodes send it, and a harness that runs compiled
// documents on a test's own queues and database.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { format, resolveConfig } from 'prettier';
import { connectDb, disconnectDb } from '../app/lib/db.server';
import { listSteps, type StepView } from '../app/models/step.server';
import { compilePlan } from '../ir/compile';
import type { DocumentNode, Plan, WorkflowDocument } from '../ir/types';
import { registry } from '../nodes/index';
import { closeTemporalClient, getTemporalClient, startRun, waitForRun } from '../temporal/client';
import type { RunGraphResult } from '../workflows/messages';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChildHandle {
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process printed, for failure messages. */
  output(): string;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
): { child: ChildProcess; handle: ChildHandle; lines: (fn: (line: string) => void) => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const tail: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      for (const fn of listeners) fn(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const stopped = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const handle: ChildHandle = {
    pid: child.pid!,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stopped,
    output: () => [...tail, partial].join('\n'),
  };
  return { child, handle, lines: (fn) => listeners.push(fn) };
}

export interface StartWorkerOptions {
  /** Isolates this test's task queues (BATON_QUEUE_PREFIX). */
  queuePrefix: string;
  queues?: Array<'default' | 'browser' | 'gpu'>;
  /** Extra environment, e.g. MONGODB_URI with the test's own database. */
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

/** Spawns `temporal/worker.ts` and resolves once it prints its "worker ready" line. */
export async function startWorker(opts: StartWorkerOptions): Promise<ChildHandle> {
  const queues = opts.queues ?? ['default', 'browser', 'gpu'];
  const { handle, lines } = spawnTs('temporal/worker.ts', ['--queues', queues.join(',')], {
    ...opts.env,
    BATON_QUEUE_PREFIX: opts.queuePrefix,
  });
  const ready = new Promise<void>((resolve) => lines((line) => line.includes('worker ready') && resolve()));
  await waitOrFail(ready, handle, opts.readyTimeoutMs ?? 120_000, 'worker');
  return handle;
}

/** Spawns `server.ts` on `port` and resolves once GET /healthz answers 200. */
export async function startWeb(opts: {
  port: number;
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}): Promise<ChildHandle & { url: string }> {
  const { handle } = spawnTs('server.ts', [], { ...opts.env, PORT: String(opts.port) });
  const url = `http://127.0.0.1:${opts.port}`;
  const healthy = (async () => {
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  await waitOrFail(healthy, handle, opts.readyTimeoutMs ?? 120_000, 'web');
  return { ...handle, url };
}

async function waitOrFail(ready: Promise<void>, handle: ChildHandle, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not become ready within ${timeoutMs} ms. Output:\n${handle.output()}`)),
      timeoutMs,
    );
    void handle.stopped.then(({ code, signal }) =>
      reject(
        new Error(`${what} exited (code ${code}, signal ${signal}) before it was ready. Output:\n${handle.output()}`),
      ),
    );
  });
  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    handle.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** `MONGODB_URI` with its database replaced, so each test file owns a database. */
export function testDatabaseUri(
  name: string,
  base = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/baton_test',
): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  idempotencyKey?: string;
}

export interface Sink {
  url: string;
  requests: SinkRequest[];
  /** Replaces the handler; the default answers 200 `{ ok: true, n }`. */
  handle(fn: (req: SinkRequest, res: ServerResponse, n: number) => void | Promise<void>): void;
  /** Requests seen per Idempotency-Key header. */
  countsByKey(): Record<string, number>;
  close(): Promise<void>;
}

/** A loopback HTTP server standing in for the outside world that HTTP nodes call. */
export async function startSink(): Promise<Sink> {
  const requests: SinkRequest[] = [];
  let handler: (req: SinkRequest, res: ServerResponse, n: number) => void | Promise<void> = (_req, res, n) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, n }));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const entry: SinkRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        idempotencyKey: Array.isArray(key) ? key[0] : key,
      };
      requests.push(entry);
      Promise.resolve(handler(entry, res, requests.length)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (fn) => {
      handler = fn;
    },
    countsByKey: () => {
      const counts: Record<string, number> = {};
      for (const r of requests) if (r.idempotencyKey) counts[r.idempotencyKey] = (counts[r.idempotencyKey] ?? 0) + 1;
      return counts;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A node of a test document: `type` is a node folder; version, position and empty params are filled in. */
export interface DocNode {
  id: string;
  type: string;
  name?: string;
  version?: number;
  params?: Record<string, unknown>;
  policy?: DocumentNode['policy'];
}

/** Edges as `['a', 'b']` (first output port to first input port) or `['a:true', 'b:input2']`. */
export function workflowDoc(nodes: DocNode[], edges: Array<[string, string]>): WorkflowDocument {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const port = (ref: string, side: 'outputs' | 'inputs') => {
    const [id, explicit] = ref.split(':');
    const node = byId.get(id);
    if (!node) throw new Error(`workflowDoc: edge refers to unknown node "${id}"`);
    const spec = registry.latest(node.type);
    const fallback = spec?.[side][0]?.id;
    if (!explicit && !fallback) throw new Error(`workflowDoc: ${node.type} has no ${side} port for edge end "${ref}"`);
    return { id, port: explicit ?? fallback! };
  };
  return {
    nodes: nodes.map((n, i) => ({
      id: n.id,
      type: n.type,
      version: n.version ?? registry.latest(n.type)?.version ?? 1,
      name: n.name ?? n.id,
      position: { x: i * 200, y: 0 },
      params: n.params ?? {},
      ...(n.policy ? { policy: n.policy } : {}),
    })),
    edges: edges.map(([from, to], i) => {
      const source = port(from, 'outputs');
      const target = port(to, 'inputs');
      return { id: `e${i}`, source: source.id, sourcePort: source.port, target: target.id, targetPort: target.port };
    }),
    settings: {},
  };
}

/** Compiles with the real compiler; a test document that does not compile is a broken test. */
export function compileOrThrow(doc: WorkflowDocument, workflowId = 'wf-test', name = workflowId): Plan {
  const compiled = compilePlan(doc, { workflowId, name });
  if (!compiled.ok)
    throw new Error(
      `Test document does not compile:\n${compiled.diagnostics.map((d) => `${d.nodeId ?? ''} ${d.code}: ${d.message}`).join('\n')}`,
    );
  return compiled.plan;
}

export interface RunHarness {
  dbUri: string;
  queuePrefix: string;
  /** Spawns a worker process for this harness's queues and database. */
  startWorker(opts?: Partial<StartWorkerOptions>): Promise<ChildHandle>;
  /** Starts a run of `plan`; returns its run id. */
  start(plan: Plan, trigger?: unknown): Promise<string>;
  /** Starts and waits: the result plus every step record. */
  run(
    plan: Plan,
    trigger?: unknown,
    timeoutMs?: number,
  ): Promise<{ runId: string; result: RunGraphResult; steps: StepView[] }>;
  /** SIGTERM to every worker started here (SIGKILL after 15 s); resolves once they are gone. */
  stopWorkers(): Promise<void>;
  /** With BATON_RECORD_HISTORIES=1, saves the run's history as a replay fixture (workflows/histories/<name>.json). */
  recordHistory(name: string, runId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One per test file: its own database and task-queue prefix, so files may run side by side. The test
 * process connects to the same database to read step records.
 */
export async function startRunHarness(name: string): Promise<RunHarness> {
  const dbUri = testDatabaseUri(`baton_test_${name}`);
  const queuePrefix = `t-${name}-${process.pid}-`;
  process.env.BATON_QUEUE_PREFIX = queuePrefix; // temporal/client reads it to name the run's queues
  await connectDb(dbUri);
  await mongoose.connection.db!.dropDatabase();
  const workers: ChildHandle[] = [];
  let counter = 0;
  const harness: RunHarness = {
    dbUri,
    queuePrefix,
    startWorker: async (opts) => {
      const worker = await startWorker({ queuePrefix, ...opts, env: { MONGODB_URI: dbUri, ...opts?.env } });
      workers.push(worker);
      return worker;
    },
    start: async (plan, trigger = {}) => {
      const runId = `${name}-${process.pid}-${Date.now()}-${++counter}`;
      await startRun({ runId, plan, trigger });
      return runId;
    },
    run: async (plan, trigger, timeoutMs = 45_000) => {
      const runId = await harness.start(plan, trigger);
      const result = await waitForRun(runId, timeoutMs);
      return { runId, result, steps: await listSteps(runId) };
    },
    recordHistory: async (fixture, runId) => {
      if (!process.env.BATON_RECORD_HISTORIES) return;
      const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
      // protobufjs's own JSON form (History.toJSON); workflows/replay.test.ts reads it back with History.fromObject.
      const file = `${REPO_ROOT}workflows/histories/${fixture}.json`;
      writeFileSync(file, await format(JSON.stringify(history), { parser: 'json', ...(await resolveConfig(file)) }));
    },
    stopWorkers: async () => {
      const stopping = workers.splice(0);
      for (const w of stopping) w.kill('SIGTERM');
      const force = setTimeout(() => stopping.forEach((w) => w.kill('SIGKILL')), 15_000);
      await Promise.all(stopping.map((w) => w.stopped));
      clearTimeout(force);
    },
    close: async () => {
      await harness.stopWorkers();
      await closeTemporalClient();
      await disconnectDb();
    },
  };
  return harness;
}
