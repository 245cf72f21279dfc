// `baton web` and `baton worker` run as separate processes against external services (here: the test run's
// Temporal and MongoDB, passed through the environment), and a run started through the web completes on the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freePort } from '../temporal/services/ports';
import { descendants, REPO_ROOT, testDatabaseUri, waitUntilGone } from './stack';

interface Cli {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<void>;
}

function baton(args: string[], env: NodeJS.ProcessEnv): Cli {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'baton.mjs'), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = setInterval(() => {
          if (pattern.test(text)) {
            clearInterval(check);
            resolve();
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(check);
            reject(new Error(`baton ${args.join(' ')} did not print ${pattern} (exit ${child.exitCode}):\n${text}`));
          }
        }, 100);
      }),
  };
}

const clis: Cli[] = [];
afterAll(async () => {
  for (const cli of clis) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

test('baton web and baton worker serve a run as separate processes', async () => {
  const mongoUri = testDatabaseUri(`baton_test_cli_${process.pid}`);
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  await conn.dropDatabase();
  await conn.close();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGODB_URI: mongoUri,
    BATON_QUEUE_PREFIX: `cli${process.pid}-`,
    BATON_HOME: mkdtempSync(path.join(os.tmpdir(), 'baton-cli-')),
    PORT: String(port),
  };
  expect(env.TEMPORAL_ADDRESS).toBeTruthy(); // external services come from the environment, nothing is started

  const worker = baton(['worker', '--queues', 'default'], env);
  const web = baton(['web'], env);
  clis.push(worker, web);
  await Promise.all([
    worker.waitFor(/Worker is polling default/, 180_000),
    web.waitFor(/Baton web is running at/, 300_000),
  ]);

  const base = `http://127.0.0.1:${port}`;
  const setup = await fetch(`${base}/api/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'cli@baton.test', name: 'CLI', password: 'cli-password-1' }),
  });
  expect(setup.status).toBe(201);
  const { token } = (await setup.json()) as { token: string };
  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  const document = {
    nodes: [
      { id: 't', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} },
      {
        id: 's',
        type: 'set-fields',
        version: 1,
        name: 'Greet',
        position: { x: 200, y: 0 },
        params: { fields: { greeting: '{{ "hello " & $trigger.who }}' }, keepInput: false },
      },
    ],
    edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 's', targetPort: 'in' }],
    settings: {},
  };
  const created = await api('POST', '/api/workflows', { name: 'CLI processes', document });
  expect(created.status).toBe(201);
  const started = await api('POST', '/api/runs', { workflowId: created.body.workflow.id, input: { who: 'cli' } });
  expect(started.status).toBe(201);

  let run: any;
  const deadline = Date.now() + 60_000;
  do {
    await new Promise((r) => setTimeout(r, 250));
    run = (await api('GET', `/api/runs/${started.body.runId}`)).body.run;
  } while (!['succeeded', 'failed', 'cancelled'].includes(run?.status) && Date.now() < deadline);
  expect(run.status).toBe('succeeded');
  const steps = (await api('GET', `/api/runs/${started.body.runId}/steps`)).body.steps;
  expect(steps.find((s: { nodeId: string }) => s.nodeId === 's').output).toEqual({ greeting: 'hello cli' });

  // Ctrl-C on either command stops it and the process it launched.
  for (const cli of [web, worker]) {
    const below = descendants(cli.child.pid!);
    expect(below.length).toBeGreaterThan(0);
    cli.child.kill('SIGINT');
    await new Promise((r) => cli.child.once('exit', r));
    expect(await waitUntilGone(below, 15_000)).toEqual([]);
  }
}, 400_000);
