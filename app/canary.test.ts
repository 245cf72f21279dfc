// The canary test (issue 8, "Done means"): runs use a credential whose secret is a unique canary, once succeeding and
// once failing, with a loopback server that echoes the header back in its body and its status line. The canary must
// then appear nowhere: not in any Mongo collection, the Temporal history of either run, any log file under
// BATON_HOME/logs, the live events a subscriber received, or any API answer about the runs. The credential document
// holds no plaintext, `baton credentials rotate-key` keeps the credential working, and with BATON_PAYLOAD_KEY set
// the history's payloads are ciphertext. Web and worker run as `baton` runs them: child processes logging to files.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import { isTerminalRunStatus } from '../contracts/run-status';
import { launchWorker } from '../bin/lib/app-processes';
import { startProcess, type ManagedProcess } from '../temporal/services/child-process';
import { freePort, REPO_ROOT, testDatabaseUri } from '../test/stack';
import { startSink, type Sink } from '../test/sink';
import { chain, docWith, httpNode, manualNode } from './web-test-documents';

const CANARY = `canary-${randomUUID()}`;
const TEMPORAL_CLI = path.join(REPO_ROOT, '.baton', 'bin', 'pip', 'bin', 'temporal');

let sink: Sink;
let home: string;
let mongoUri: string;
let url: string;
let token: string;
let processes: ManagedProcess[] = [];
const answers: unknown[] = [];
const events: unknown[] = [];
let socket: Socket | undefined;

async function start(extraEnv: Record<string, string> = {}): Promise<void> {
  const port = await freePort();
  const logsDir = path.join(home, 'logs');
  const env = {
    ...process.env,
    MONGODB_URI: mongoUri,
    BATON_HOME: home,
    BATON_QUEUE_PREFIX: `test-canary-${process.pid}-`,
    BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...extraEnv,
  };
  const worker = await launchWorker({ env, queues: ['default'], logsDir });
  processes.push(worker);
  const web = await startProcess({
    name: 'web',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'server.ts')],
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) },
    logFile: path.join(logsDir, 'web.log'),
    watchdogLog: path.join(logsDir, 'watchdog.log'),
  });
  processes.push(web);
  url = `http://127.0.0.1:${port}`;
  await Promise.all([
    web.waitUntilReady(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, {
      timeoutMs: 120_000,
      what: 'answering /healthz',
    }),
    // Its own line, once every Worker polls (temporal/worker.ts); the queue names carry the child's prefix.
    worker.waitUntilReady(async () => readFileSync(worker.logFile, 'utf8').includes(`(pid ${worker.pid})`), {
      timeoutMs: 180_000,
      what: 'ready',
    }),
  ]);
}

async function stop(): Promise<void> {
  socket?.close();
  socket = undefined;
  await Promise.all(processes.map((p) => p.stop()));
  processes = [];
}

/** A JSON API call; every answer is kept to be searched for the canary. */
async function api(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  answers.push({ method, pathname, status: res.status, text });
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function runToEnd(workflowId: string): Promise<any> {
  const started = await api('POST', '/api/runs', { workflowId, input: {} });
  expect(started.status).toBe(201);
  for (;;) {
    const { body } = await api('GET', `/api/runs/${started.body.runId}`);
    if (body?.run && isTerminalRunStatus(body.run.status)) return body.run;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every API answer about a run: the run, its steps and each stored field, its output, the run list. */
async function readRunEverywhere(runId: string, workflowId: string): Promise<void> {
  const steps = await api('GET', `/api/runs/${runId}/steps`);
  for (const step of steps.body?.steps ?? []) {
    for (const field of ['input', 'output']) await api('GET', `/api/runs/${runId}/steps/${step.nodeId}/${field}`);
  }
  await api('GET', `/api/runs/${runId}/output`);
  await api('GET', `/api/runs?workflowId=${workflowId}`);
  await api('GET', `/api/workflows/${workflowId}`);
}

function temporalHistory(runId: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      TEMPORAL_CLI,
      [
        'workflow',
        'show',
        '--workflow-id',
        runId,
        '--output',
        'json',
        '--address',
        process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      ],
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`temporal workflow show: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

/** The text plus every base64 string in it decoded: payload data is base64 in the CLI's JSON. */
function withDecodedBase64(text: string): string {
  const decoded = [...text.matchAll(/"([A-Za-z0-9+/]{12,}={0,2})"/g)].map((m) =>
    Buffer.from(m[1], 'base64').toString('utf8'),
  );
  return [text, ...decoded].join('\n');
}

async function everyMongoDocument(): Promise<string> {
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const names = (await conn.db!.listCollections().toArray()).map((c) => c.name);
    const parts: string[] = [];
    for (const name of names) {
      const docs = await conn.db!.collection(name).find({}).toArray();
      parts.push(`${name}: ${JSON.stringify(docs)}`);
    }
    return parts.join('\n');
  } finally {
    await conn.close();
  }
}

function everyLogFile(): string {
  const dir = path.join(home, 'logs');
  return readdirSync(dir)
    .map((name) => readFileSync(path.join(dir, name), 'utf8'))
    .join('\n');
}

function baton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['bin/baton.mjs', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, MONGODB_URI: mongoUri, BATON_HOME: home } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  mongoUri = testDatabaseUri('baton_test_canary');
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  await conn.dropDatabase();
  await conn.close();
  home = mkdtempSync(path.join(tmpdir(), 'baton-canary-'));
  mkdirSync(path.join(home, 'logs'));
  sink = await startSink();
  // The API checks the header; a wrong key is refused and, like careless servers, echoed back everywhere.
  sink.handle((req, res) => {
    const key = String(req.headers['x-canary'] ?? '');
    const echo = JSON.stringify({ youSent: req.headers });
    if (req.path === '/ok' && key === CANARY) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': key }).end(echo);
    } else {
      res.writeHead(401, `Bad key ${key}`, { 'content-type': 'application/json', 'x-echo': key }).end(echo);
    }
  });
  await start();
  const setup = await api('POST', '/api/setup', { email: 'owner@baton.test', name: 'Owner', password: 'owner-pass-1' });
  expect(setup.status).toBe(201);
  token = setup.body.token;
}, 360_000);

afterAll(async () => {
  await stop();
  await sink?.close();
}, 60_000);

test('a credential’s secret appears nowhere a run leaves traces, and survives a key rotation', async () => {
  const created = await api('POST', '/api/credentials', {
    name: 'Canary API',
    type: 'http-header-auth',
    values: { name: 'X-Canary', value: CANARY },
  });
  expect(created.status).toBe(201);
  const credentialId: string = created.body.credential.id;
  expect(created.body.credential.secretFields).toEqual({ value: 'set' });

  const workflowFor = async (name: string, target: string) => {
    const document = docWith(
      [
        manualNode('t'),
        httpNode('h', { url: `${sink.url}${target}`, authentication: 'credential', credential: credentialId }),
      ],
      [chain('t', 'h')],
    );
    const res = await api('POST', '/api/workflows', { name, document });
    expect(res.status).toBe(201);
    return res.body.workflow.id as string;
  };
  const okWorkflow = await workflowFor('Canary succeeds', '/ok');
  const failWorkflow = await workflowFor('Canary fails', '/fail');

  socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  socket.on('run-event', (e: unknown) => events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket!.once('connect', resolve);
    socket!.once('connect_error', reject);
  });
  for (const workflowId of [okWorkflow, failWorkflow]) {
    expect(await socket.emitWithAck('subscribe', { workflowId })).toMatchObject({ ok: true });
  }

  const ok = await runToEnd(okWorkflow);
  const failed = await runToEnd(failWorkflow);
  expect(ok.status).toBe('succeeded');
  expect(failed.status).toBe('failed');
  expect(failed.error.message).toContain('HTTP 401 Bad key [secret]');
  // The server did receive the secret: the test would prove nothing otherwise.
  expect(sink.requests.filter((r) => r.headers['x-canary'] === CANARY)).toHaveLength(2); // a 401 is not retried
  for (const [run, workflowId] of [
    [ok, okWorkflow],
    [failed, failWorkflow],
  ] as const) {
    await readRunEverywhere(run.runId, workflowId);
  }
  const okOutput = await api('GET', `/api/runs/${ok.runId}/output`);
  expect(JSON.stringify(okOutput.body)).toContain('[secret]');
  await api('GET', '/api/credentials');
  await api('GET', `/api/credentials/${credentialId}`);
  await new Promise((r) => setTimeout(r, 500)); // the last live events and log lines

  const places: Record<string, string> = {
    'API answers': JSON.stringify(answers),
    'live events': JSON.stringify(events),
    'Mongo (all collections)': await everyMongoDocument(),
    'log files': everyLogFile(),
    'Temporal history (ok run)': withDecodedBase64(await temporalHistory(ok.runId)),
    'Temporal history (failed run)': withDecodedBase64(await temporalHistory(failed.runId)),
  };
  expect(events.length).toBeGreaterThan(0);
  expect(places['Temporal history (ok run)']).toContain(credentialId); // the history is there, with the reference
  expect(places['Mongo (all collections)']).toContain('credential.use');
  const found = Object.entries(places)
    .filter(([, text]) => text.includes(CANARY))
    .map(([where]) => where);
  expect(found).toEqual([]);

  // The key survives a rotation: the same credential opens under the new vault key.
  const rotated = await baton(['credentials', 'rotate-key']);
  expect(rotated.stderr).toBe('');
  expect(rotated.code).toBe(0);
  // The credential, and the official listings' publisher key the web made at start (docs/decisions/068).
  expect(rotated.stdout).toContain('Credentials: 2 re-encrypted');
  const again = await runToEnd(okWorkflow);
  expect(again.status).toBe('succeeded');
  expect(sink.requests.at(-1)?.headers['x-canary']).toBe(CANARY);
  expect(everyLogFile()).not.toContain(CANARY);
}, 240_000);

test('with BATON_PAYLOAD_KEY, every payload of a run’s Temporal history is encrypted', async () => {
  await stop();
  const payloadKey = randomBytes(32).toString('base64');
  await start({ BATON_PAYLOAD_KEY: payloadKey });
  const document = docWith([manualNode('t'), httpNode('h', { url: `${sink.url}/open` })], [chain('t', 'h')]);
  const created = await api('POST', '/api/workflows', { name: 'Encrypted history', document });
  const run = await runToEnd(created.body.workflow.id);
  // The 401 from the sink fails the run: its failure message must be encrypted too.
  expect(run.status).toBe('failed');
  expect(run.error.message).toContain('HTTP 401');

  const history = JSON.parse(await temporalHistory(run.runId)) as unknown;
  const encodings: string[] = [];
  const plain: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}[${i}]`));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const metadata = record.metadata as Record<string, string> | undefined;
      if (metadata?.encoding) {
        const encoding = Buffer.from(metadata.encoding, 'base64').toString('utf8');
        encodings.push(encoding);
        // Left in clear by Temporal itself, holding none of Baton's values: the server's search attributes
        // (BuildIds), and the SDK's own marker metadata (patch ids; a local activity's type, attempt and times).
        const sdkOwn = /\.searchAttributes\.|markerRecordedEventAttributes\.details\.(patch-data|data)\./.test(at);
        if (encoding !== 'binary/encrypted' && !sdkOwn) plain.push(`${at}: ${encoding}`);
      }
      for (const [key, item] of Object.entries(record)) walk(item, `${at}.${key}`);
    }
  };
  walk(history, 'history');
  expect(encodings.length).toBeGreaterThan(3);
  expect(plain).toEqual([]);
  const text = JSON.stringify(history);
  expect(text).not.toContain(sink.url);
  expect(withDecodedBase64(text)).not.toContain('HTTP 401');
}, 240_000);
