// `baton dev` supervises its web and worker: a SIGKILLed worker is restarted and the runs in flight finish without
// anyone acting; a process that keeps crashing stops Baton with the crash-loop message and leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listSteps } from '../db/steps';
import { getTemporalClient, waitForRun } from '../temporal/client';
import { progressQuery } from '../workflows/messages';
import { appPid, processesOfHome, startDev, waitForOutput, type DevTree } from './dev-tree';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from './run-harness';
import { freePort, REPO_ROOT, waitUntilGone } from './stack';

let harness: RunHarness;
const homes: string[] = [];
const trees: DevTree[] = [];

beforeAll(async () => {
  harness = await startRunHarness('supervisor');
});

afterAll(async () => {
  for (const tree of trees) {
    if (tree.child.exitCode === null && tree.child.signalCode === null) process.kill(-tree.child.pid!, 'SIGKILL');
  }
  await harness.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** `baton dev` on a home of its own, against the test run's Temporal and this file's database and queues. */
async function devEnv(): Promise<{ env: NodeJS.ProcessEnv; home: string; port: number }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'baton-supervisor-test-'));
  homes.push(home);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_HOME: home,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(REPO_ROOT, '.baton', 'bin'),
    BATON_CHROMIUM: process.env.BATON_CHROMIUM ?? '/usr/bin/chromium',
    MONGODB_URI: harness.dbUri,
    BATON_QUEUE_PREFIX: harness.queuePrefix,
    PORT: String(port),
  };
  for (const key of ['NODE_ENV', 'BATON_MAX_CRASHES', 'BATON_CRASH_WINDOW_SECONDS']) delete env[key];
  return { env, home, port };
}

test('a SIGKILLed worker is restarted and 20 runs in a delay all succeed without anyone acting', async () => {
  const { env, home } = await devEnv();
  const tree = await startDev(env);
  trees.push(tree);

  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'start', type: 'manual-trigger' },
        { id: 'wait', type: 'delay', params: { amount: 8, unit: 'seconds' } },
        { id: 'greet', type: 'set-fields', params: { fields: { greeting: '{{ "hello " & $trigger.n }}' } } },
      ],
      [
        ['start', 'wait'],
        ['wait', 'greet'],
      ],
    ),
    'wf-supervisor',
  );
  const runIds = await Promise.all(Array.from({ length: 20 }, (_, n) => harness.start(plan, { n })));

  // Kill only once every run sits in its delay, so the crash really interrupts 20 runs in flight.
  const client = await getTemporalClient();
  const deadline = Date.now() + 60_000;
  const waiting = async () => {
    const progress = await Promise.all(runIds.map((id) => client.workflow.getHandle(id).query(progressQuery)));
    return progress.every((p) => p.steps.wait === 'running');
  };
  while (!(await waiting())) {
    if (Date.now() > deadline)
      throw new Error(`The runs never all reached their delay.\n${tree.output().slice(-3000)}`);
    await sleep(200);
  }
  const worker = appPid(home, 'temporal/worker.ts');
  expect(worker).toBeDefined();
  process.kill(worker!, 'SIGKILL');

  const results = await Promise.all(runIds.map((id) => waitForRun(id, 180_000)));
  expect(results.map((r) => r.status)).toEqual(runIds.map(() => 'succeeded'));
  const greetings = await Promise.all(
    runIds.map(async (id) => (await listSteps(id)).find((s) => s.nodeId === 'greet')?.output),
  );
  expect(greetings).toEqual(runIds.map((_, n) => expect.objectContaining({ greeting: `hello ${n}` })));

  expect(tree.output()).toContain(`worker (pid ${worker}) was killed by SIGKILL; restarting it in 0.5 s`);
  const [, restarted] = await waitForOutput(tree, /worker is running again \(pid (\d+)\)/, 60_000);
  expect(Number(restarted)).not.toBe(worker);
  expect(tree.child.exitCode).toBeNull();

  // The orphan guarantee covers restarted processes too: SIGKILL of the launcher alone leaves nothing behind.
  const members = processesOfHome(home);
  expect(members).toContain(Number(restarted));
  process.kill(tree.child.pid!, 'SIGKILL');
  await tree.exited;
  expect(await waitUntilGone(members, 15_000)).toEqual([]);
}, 900_000);

test('a web server that crashes 5 times in a row stops baton dev with the crash-loop message', async () => {
  const { env, home, port } = await devEnv();
  const tree = await startDev(env);
  trees.push(tree);

  // Crash 1 is a SIGKILL; then another program takes the port, so every restart fails (EADDRINUSE) until Baton stops.
  const web = appPid(home, 'server.ts');
  expect(web).toBeDefined();
  process.kill(web!, 'SIGKILL');
  expect(await waitUntilGone([web!], 5000)).toEqual([]);
  const squatter = await listen(port);
  const patience = new AbortController();
  try {
    const code = await Promise.race([
      tree.exited,
      sleep(150_000, 'still running' as const, { signal: patience.signal }),
    ]);
    expect(code).toBe(1);
  } finally {
    patience.abort();
    squatter.close();
  }
  const output = tree.output();
  expect(output).toContain(`web (pid ${web}) was killed by SIGKILL; restarting it in 0.5 s`);
  for (const delay of ['1', '2', '4'])
    expect(output).toMatch(new RegExp(`web \\(pid \\d+\\) exited with code 1; restarting it in ${delay} s`));
  expect(output).toMatch(/web crashed 5 times within 2 min \(last: pid \d+ exited with code 1\); stopping Baton/);
  expect(output).toContain('EADDRINUSE');
  expect(output).toContain('What to do:');
  expect(await waitUntilGone(processesOfHome(home), 15_000)).toEqual([]);
}, 900_000);

/** Listens where the web server would (all interfaces), retrying while the killed server's socket is released. */
async function listen(port: number): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, resolve);
      });
      return server;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(25);
    }
  }
}
