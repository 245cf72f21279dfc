// Restart survival: a run waiting in a durable delay survives stopping the whole `baton dev` tree (services, web,
// worker) and starting it again on the same home; the HTTP step after the delay then runs exactly once. So do
// approvals: one decided after the restart, one whose deadline passed while everything was down.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDb, disconnectDb } from '../db/connection';
import { launchRun } from '../app/lib/run-launcher.server';
import { getRunUnscoped } from '../db/runs';
import { closeTemporalClient, getTemporalClient, waitForRun } from '../temporal/client';
import type { ServicesState } from '../temporal/services';
import { freePort } from '../temporal/services/ports';
import { progressQuery } from '../workflows/messages';
import { submitDecision } from '../temporal/approvals';
import { createApprovalWorld } from './approval-world';
import { startDev, type DevTree } from './dev-tree';
import { compileOrThrow, workflowDoc } from './run-harness';
import { startSink } from './sink';
import { descendants, REPO_ROOT, waitUntilGone } from './stack';

async function devEnv(home: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_HOME: home,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(REPO_ROOT, '.baton', 'bin'),
    BATON_CHROMIUM: process.env.BATON_CHROMIUM ?? '/usr/bin/chromium',
    PORT: String(await freePort()),
    // Fixed across both starts, like a developer's machine; the test reads them from services.json anyway.
    BATON_TEMPORAL_PORT: String(await freePort()),
    BATON_MONGO_PORT: String(await freePort()),
  };
  for (const key of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'BATON_QUEUE_PREFIX', 'NODE_ENV']) delete env[key];
  return env;
}

describe.each([
  ['SIGTERM to baton dev', (tree: DevTree) => tree.child.kill('SIGTERM')],
  ['SIGKILL to the whole baton dev process group', (tree: DevTree) => process.kill(-tree.child.pid!, 'SIGKILL')],
])('restart survival (%s)', (_name, stopTree) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'baton-restart-test-'));
  const sinkReady = startSink();
  let tree: DevTree | undefined;

  afterAll(async () => {
    if (tree && tree.child.exitCode === null) {
      tree.child.kill('SIGTERM');
      await tree.exited;
    }
    await closeTemporalClient();
    await disconnectDb();
    await (await sinkReady).close();
    rmSync(home, { recursive: true, force: true });
  });

  test('a run in a 20 s delay and two waiting approvals complete after the tree is stopped and started again, each HTTP step once', async () => {
    const sink = await sinkReady;
    const env = await devEnv(home);
    tree = await startDev(env);

    const state = JSON.parse(readFileSync(path.join(home, 'services.json'), 'utf8')) as ServicesState;
    process.env.TEMPORAL_ADDRESS = state.env.TEMPORAL_ADDRESS; // temporal/client reads these on first use
    process.env.MONGODB_URI = state.env.MONGODB_URI;
    delete process.env.BATON_QUEUE_PREFIX; // the tree's worker serves the unprefixed queues
    await connectDb(state.env.MONGODB_URI);

    const plan = compileOrThrow(
      workflowDoc(
        [
          { id: 'start', type: 'manual-trigger' },
          { id: 'wait', type: 'delay', params: { amount: 20, unit: 'seconds' } },
          { id: 'call', type: 'http-request', params: { method: 'POST', url: `${sink.url}/after-restart` } },
        ],
        [
          ['start', 'wait'],
          ['wait', 'call'],
        ],
      ),
      'wf-restart',
    );
    const runId = await launchRun({
      plan,
      workspaceId: 'ws_test',
      workflowId: 'wf-restart',
      trigger: {},
      mode: 'manual',
    });

    // Stop only once the run sits in the delay, so the restart really interrupts a waiting run.
    const handle = (await getTemporalClient()).workflow.getHandle(runId);
    const deadline = Date.now() + 30_000;
    while ((await handle.query(progressQuery)).steps.wait !== 'running') {
      if (Date.now() > deadline)
        throw new Error(`Run ${runId} never reached its delay.\n${tree.output().slice(-3000)}`);
      await sleep(100);
    }

    // Two approvals wait through the restart too: one is decided after it, the other's 20 s deadline passes while
    // the tree is down and fires once it is back (issue 9).
    const world = await createApprovalWorld();
    const gated = (id: string, params: Record<string, unknown>) =>
      workflowDoc(
        [
          { id: 'start', type: 'manual-trigger' },
          { id: 'review', type: 'approval', params: { users: [{ user: world.users.ana.id }], ...params } },
          { id: 'yes', type: 'http-request', params: { method: 'POST', url: `${sink.url}/${id}-approved` } },
          { id: 'late', type: 'http-request', params: { method: 'POST', url: `${sink.url}/${id}-timed-out` } },
        ],
        [
          ['start', 'review'],
          ['review:approved', 'yes'],
          ['review:timeout', 'late'],
        ],
      );
    const decidedRun = await world.startRun(gated('decided', {}));
    const deadlineRun = await world.startRun(
      gated('deadline', { deadline: 'duration', deadlineAmount: 20, deadlineUnit: 'seconds', onDeadline: 'timed-out' }),
    );
    await world.approval(decidedRun, 'review');
    await world.approval(deadlineRun, 'review');
    // Both 20 s timers are set by now; long enough that a loaded machine still stops the tree before they fire.
    const timersDue = Date.now() + 20_000;

    const members = descendants(tree.child.pid!);
    expect(members.length).toBeGreaterThanOrEqual(5); // temporal, ferretdb, web, worker, watchdog
    stopTree(tree);
    await tree.exited;
    expect(await waitUntilGone(members, 15_000)).toEqual([]);
    expect(sink.requests).toHaveLength(0);
    // Start again only once both timers are overdue: they fall due while the tree is down and fire once it is back.
    await sleep(Math.max(0, timersDue - Date.now()) + 1000);

    tree = await startDev(env);
    const result = await waitForRun(runId, 120_000);
    expect(result.status).toBe('succeeded');
    const request = await world.approval(decidedRun, 'review');
    await submitDecision(request, world.users.ana, { decision: 'approve' }, { via: 'api' });
    expect((await waitForRun(decidedRun, 120_000)).status).toBe('succeeded');
    expect((await waitForRun(deadlineRun, 120_000)).status).toBe('succeeded');
    await sleep(1000); // a duplicate call would arrive right after the first
    expect(sink.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'POST /after-restart',
      'POST /deadline-timed-out',
      'POST /decided-approved',
    ]);
    expect((await getRunUnscoped(runId))?.status).toBe('succeeded');
    expect((await world.approval(deadlineRun, 'review')).status).toBe('timed-out');
  }, 900_000);
});
