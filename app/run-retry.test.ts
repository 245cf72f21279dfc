// Retry from the failed node and re-run, through the REST API against a real web server, worker, Temporal and
// Mongo, with HTTP nodes calling a loopback sink: the sink sees only the requests of the nodes that run again.
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { closeTemporalClient, getTemporalClient } from '../temporal/client';
import { startSink, type Sink } from '../test/sink';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';
import { anyNode, chain, codeNode, docWith, manualNode, setNode } from './web-test-documents';
import type { DocumentNode } from '../ir/types';

let stack: WebStack;
let sink: Sink;
/** While true, the sink fails B's requests and the loop's second item. */
let failB = true;

beforeAll(async () => {
  sink = await startSink();
  sink.handle((req, res) => {
    const failing = (req.path.startsWith('/b') || req.path === '/x?n=2') && failB;
    res.writeHead(failing ? 500 : 200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.path }));
  });
  stack = await startWebStack('run_retry', { worker: true });
}, 400_000);

afterAll(async () => {
  await stack?.stop();
  await sink?.close();
  await closeTemporalClient();
});

const once = { retry: { maximumAttempts: 1, initialIntervalMs: 0, backoffCoefficient: 1 } };
const http = (id: string, path: string): DocumentNode =>
  anyNode(id, 'http-request', { method: 'GET', url: `${sink.url}${path}` }, once);

/** Start → A (HTTP) → S (Set, pure) → B (HTTP, fails while `failB`) → C (HTTP). */
function documentWith(aPath: string) {
  return docWith(
    [manualNode('Start'), http('A', aPath), setNode('S', { s: '1' }), http('B', '/b'), http('C', '/c')],
    [chain('Start', 'A'), chain('A', 'S'), chain('S', 'B'), chain('B', 'C')],
  );
}

async function publish(workflowId: string): Promise<number> {
  const res = await stack.api('POST', `/api/workflows/${workflowId}/publish`, {});
  expect(res.status).toBe(201);
  return res.body.version.version;
}

async function createPublished(name: string, aPath = '/a?who={{ $trigger.who }}'): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', { name, document: documentWith(aPath) });
  expect(created.status).toBe(201);
  await publish(created.body.workflow.id);
  return created.body.workflow.id;
}

/** Runs `start` and returns the run when it has ended, with the sink paths its run requested. */
async function sinkPathsOf(start: () => Promise<string>): Promise<{ run: any; paths: string[] }> {
  const before = sink.requests.length;
  const runId = await start();
  const run = await waitForRunStatus(stack, runId);
  return { run, paths: sink.requests.slice(before).map((r) => r.path) };
}

async function startRun(workflowId: string, version: number, input: unknown = { who: 'ann' }): Promise<string> {
  const res = await stack.api('POST', '/api/runs', { workflowId, version, input });
  expect(res.status).toBe(201);
  return res.body.runId;
}

async function retry(runId: string, version?: 'current' | 'original'): Promise<string> {
  const res = await stack.api('POST', `/api/runs/${runId}/retry`, version ? { version } : {});
  expect(res.status).toBe(201);
  return res.body.runId;
}

const names = (nodes: Array<{ name: string }>) => nodes.map((n) => n.name);

async function recordHistory(fixture: string, runId: string): Promise<void> {
  if (!process.env.BATON_RECORD_HISTORIES) return;
  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  const file = new URL(`../workflows/histories/${fixture}.json`, import.meta.url).pathname;
  const json = JSON.stringify(history, (key, value: unknown) => (key === 'stackTrace' ? '' : value));
  writeFileSync(file, await format(json, { parser: 'json', ...(await resolveConfig(file)) }));
  expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
}

describe('retry from the failed node', () => {
  let workflowId: string;
  let failedRunId: string;

  beforeAll(async () => {
    workflowId = await createPublished('Retry me');
  }, 120_000);

  test('a failed run: the plan reuses A and S, runs B and C again, and warns about B only', async () => {
    failB = true;
    const failed = await sinkPathsOf(() => startRun(workflowId, 1));
    failedRunId = failed.run.runId;
    expect(failed.run.status).toBe('failed');
    expect(failed.paths).toEqual(['/a?who=ann', '/b']);

    const res = await stack.api('GET', `/api/runs/${failedRunId}/retry-plan?version=current`);
    expect(res.status).toBe(200);
    expect(names(res.body.plan.reused)).toEqual(['A', 'S']);
    expect(names(res.body.plan.rerun)).toEqual(['B', 'C']);
    // S is pure and C never ran: only B's request goes out again.
    expect(res.body.plan.sideEffects).toEqual([
      { nodeId: 'B', name: 'B', type: 'http-request', previousStatus: 'failed' },
    ]);
    expect(res.body.retries).toEqual([]);
  }, 90_000);

  test('the retry reuses earlier outputs: the sink sees only the re-run nodes’ requests', async () => {
    failB = false;
    const retried = await sinkPathsOf(() => retry(failedRunId));
    expect(retried.run.status).toBe('succeeded');
    expect(retried.paths).toEqual(['/b', '/c']);
    expect(retried.run.retryOf).toBe(failedRunId);
    expect(retried.run.workflowVersion).toBe(1);
    await recordHistory('retry-reuses-steps', retried.run.runId);

    const { body } = await stack.api('GET', `/api/runs/${retried.run.runId}/steps`);
    const steps = Object.fromEntries(body.steps.map((s: any) => [s.nodeName, s]));
    expect(steps.A).toMatchObject({ status: 'succeeded', reusedFrom: failedRunId });
    expect(steps.A.output.body).toEqual({ path: '/a?who=ann' });
    expect(steps.S).toMatchObject({ status: 'succeeded', reusedFrom: failedRunId, output: { s: '1' } });
    for (const name of ['Start', 'B', 'C']) expect(steps[name].reusedFrom).toBeUndefined();
    // B read its input from the reused S (Set adds its field to A's response).
    expect(steps.B.input).toMatchObject({ s: '1', body: { path: '/a?who=ann' } });

    const plan = await stack.api('GET', `/api/runs/${failedRunId}/retry-plan`);
    expect(plan.body.retries.map((r: any) => r.runId)).toEqual([retried.run.runId]);
  }, 90_000);

  test('a run that succeeded cannot be retried (409), but it can be re-run with edited input', async () => {
    const retries = await stack.api('GET', `/api/runs/${failedRunId}/retry-plan`);
    const succeededId = retries.body.retries[0].runId;
    const refused = await stack.api('POST', `/api/runs/${succeededId}/retry`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/is succeeded; only a failed, cancelled, terminated or timed-out run/);

    const rerun = await sinkPathsOf(async () => {
      const res = await stack.api('POST', `/api/runs/${succeededId}/rerun`, { input: { who: 'bob' } });
      expect(res.status).toBe(201);
      return res.body.runId;
    });
    expect(rerun.run).toMatchObject({ status: 'succeeded', retryOf: succeededId, trigger: { who: 'bob' } });
    expect(rerun.paths).toEqual(['/a?who=bob', '/b', '/c']);

    const same = await sinkPathsOf(async () => {
      const res = await stack.api('POST', `/api/runs/${succeededId}/rerun`);
      expect(res.status).toBe(201);
      return res.body.runId;
    });
    expect(same.run.trigger).toEqual({ who: 'ann' });
    expect(same.paths).toEqual(['/a?who=ann', '/b', '/c']);
  }, 90_000);
});

describe('current or original version', () => {
  let workflowId: string;
  let failedRunId: string;

  beforeAll(async () => {
    workflowId = await createPublished('Changes between versions', '/a');
    failB = true;
    failedRunId = (await sinkPathsOf(() => startRun(workflowId, 1))).run.runId;
    // Version 2 changes A: a retry on it must run A again.
    const wf = (await stack.api('GET', `/api/workflows/${workflowId}`)).body.workflow;
    const saved = await stack.api('PUT', `/api/workflows/${workflowId}`, {
      revision: wf.revision,
      document: documentWith('/a2'),
    });
    expect(saved.status).toBe(200);
    expect(await publish(workflowId)).toBe(2);
  }, 180_000);

  test('the plan on the current version runs the changed node and what follows it again', async () => {
    const res = await stack.api('GET', `/api/runs/${failedRunId}/retry-plan?version=current`);
    expect(res.body.plan).toMatchObject({ version: 'current', workflowVersion: 2, reused: [] });
    expect(names(res.body.plan.rerun)).toEqual(['A', 'S', 'B', 'C']);
    expect(names(res.body.plan.sideEffects)).toEqual(['A', 'B']);
  });

  test('the original version runs the old plan and reuses A', async () => {
    failB = false;
    const retried = await sinkPathsOf(() => retry(failedRunId, 'original'));
    expect(retried.run).toMatchObject({ status: 'succeeded', workflowVersion: 1, retryOf: failedRunId });
    expect(retried.paths).toEqual(['/b', '/c']);
  }, 90_000);

  test('the current version runs the changed A', async () => {
    const retried = await sinkPathsOf(() => retry(failedRunId, 'current'));
    expect(retried.run).toMatchObject({ status: 'succeeded', workflowVersion: 2, retryOf: failedRunId });
    expect(retried.paths).toEqual(['/a2', '/b', '/c']);
  }, 90_000);
});

describe('bulk retry and refusals', () => {
  let workflowId: string;

  beforeAll(async () => {
    workflowId = await createPublished('Bulk retry', '/a');
  }, 120_000);

  test('by ids: each run gets its own result, an unknown id a 404', async () => {
    failB = true;
    const first = (await sinkPathsOf(() => startRun(workflowId, 1))).run.runId;
    const second = (await sinkPathsOf(() => startRun(workflowId, 1))).run.runId;
    failB = false;
    const res = await stack.api('POST', '/api/runs/retry', { ids: [first, second, 'run_missing'] });
    expect(res.status).toBe(200);
    const [a, b, missing] = res.body.results;
    expect(a).toMatchObject({ runId: first, ok: true });
    expect(b).toMatchObject({ runId: second, ok: true });
    expect(missing).toMatchObject({ runId: 'run_missing', ok: false, status: 404 });
    for (const r of [a, b]) {
      const run = await waitForRunStatus(stack, r.retryRunId);
      expect(run).toMatchObject({ status: 'succeeded', retryOf: r.runId });
    }
  }, 120_000);

  test('by filter: the workflow’s failed runs are retried', async () => {
    failB = true;
    const failed = (await sinkPathsOf(() => startRun(workflowId, 1))).run.runId;
    failB = false;
    const res = await stack.api('POST', '/api/runs/retry', { filter: { workflowId, status: 'failed' } });
    expect(res.status).toBe(200);
    // The earlier failed runs of this workflow are retried again too; each answer names its run.
    const ours = res.body.results.find((r: any) => r.runId === failed);
    expect(ours).toMatchObject({ ok: true });
    expect(res.body.results.every((r: any) => r.ok)).toBe(true);
    expect(await waitForRunStatus(stack, ours.retryRunId)).toMatchObject({ status: 'succeeded', retryOf: failed });
  }, 120_000);

  test('400 names the field; 404 for an unknown run; 409 while a run is still running', async () => {
    const badVersion = await stack.api('POST', '/api/runs/run_missing/retry', { version: 'latest' });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error.message).toMatch(/version/);
    const badQuery = await stack.api('GET', '/api/runs/run_missing/retry-plan?version=newest');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/version/);
    const badBulk = await stack.api('POST', '/api/runs/retry', { ids: 'run_1' });
    expect(badBulk.status).toBe(400);
    expect(badBulk.body.error.message).toMatch(/ids/);

    for (const path of ['retry', 'rerun']) {
      const missing = await stack.api('POST', `/api/runs/run_missing/${path}`, {});
      expect(missing.status).toBe(404);
    }

    const waiting = await stack.api('POST', '/api/workflows', {
      name: 'Waits',
      document: docWith(
        [manualNode('Start'), anyNode('Wait', 'delay', { amount: 10, unit: 'minutes' })],
        [chain('Start', 'Wait')],
      ),
    });
    const started = await stack.api('POST', '/api/runs', { workflowId: waiting.body.workflow.id });
    const runId = started.body.runId;
    for (const path of ['retry', 'rerun']) {
      const res = await stack.api('POST', `/api/runs/${runId}/${path}`, {});
      expect(res.status).toBe(409);
    }
    expect((await stack.api('POST', `/api/runs/${runId}/terminate`, {})).status).toBe(200);
    // Terminated: it can be retried now.
    const plan = await stack.api('GET', `/api/runs/${runId}/retry-plan?version=original`);
    expect(plan.status).toBe(200);
    expect(names(plan.body.plan.rerun)).toEqual(['Wait']);
  }, 90_000);
});

describe('loops', () => {
  test('a failed iteration makes the whole loop run again; what ran before the loop is reused', async () => {
    const created = await stack.api('POST', '/api/workflows', {
      name: 'Loop retry',
      document: docWith(
        [
          manualNode('Start'),
          http('A', '/a'),
          codeNode('Items', 'return [{ n: 1 }, { n: 2 }, { n: 3 }];'),
          anyNode('Each', 'loop-over-items', {}),
          http('X', '/x?n={{ $input.n }}'),
          http('D', '/d'),
        ],
        [
          chain('Start', 'A'),
          chain('A', 'Items'),
          chain('Items', 'Each'),
          chain('Each', 'X', 'body'),
          chain('X', 'Each', 'out', 'loopEnd'),
          chain('Each', 'D', 'done'),
        ],
      ),
    });
    expect(created.status).toBe(201);
    const workflowId = created.body.workflow.id;
    await publish(workflowId);

    failB = true;
    const failed = await sinkPathsOf(() => startRun(workflowId, 1));
    expect(failed.run.status).toBe('failed');
    expect(failed.paths).toContain('/x?n=2');
    expect(failed.paths).not.toContain('/d');

    const plan = await stack.api('GET', `/api/runs/${failed.run.runId}/retry-plan`);
    expect(names(plan.body.plan.reused)).toEqual(['A', 'Items']);
    expect(names(plan.body.plan.rerun).sort()).toEqual(['D', 'Each', 'X']);
    expect(names(plan.body.plan.sideEffects)).toEqual(['X']);

    failB = false;
    const retried = await sinkPathsOf(() => retry(failed.run.runId));
    expect(retried.run.status).toBe('succeeded');
    expect(retried.paths.sort()).toEqual(['/d', '/x?n=1', '/x?n=2', '/x?n=3']);
    await recordHistory('retry-reruns-loop', retried.run.runId);
  }, 120_000);
});
