// The run lifecycle through the REST API, against a real web server, worker, Temporal and Mongo: cancel and
// terminate (with who may ask and what a finished or unknown run answers), a run terminated out of band
// showing up as terminated, retention settings, and deleting a workflow with or without its runs.
import { getTemporalClient, closeTemporalClient } from '../temporal/client';
import { startWebStack, type WebStack } from './web-test-stack';
import { chain, docWith, manualNode, setNode } from './web-test-documents';

let stack: WebStack;

beforeAll(async () => {
  // The worker inherits these: its reconciler checks runs quiet for a second, every 250 ms.
  process.env.BATON_RECONCILE_EVERY_MS = '250';
  process.env.BATON_RECONCILE_AFTER_MS = '1000';
  stack = await startWebStack('run_lifecycle', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await closeTemporalClient();
});

const delayNode = (id: string) => ({
  id,
  type: 'delay',
  version: 1,
  name: id,
  position: { x: 400, y: 100 },
  params: { amount: 10, unit: 'minutes' },
});

/** A workflow whose runs sit in a 10-minute Delay. */
async function waitingWorkflow(name: string): Promise<string> {
  const doc = docWith([manualNode('Start'), delayNode('Wait')], [chain('Start', 'Wait')]);
  const created = await stack.api('POST', '/api/workflows', { name, document: doc });
  expect(created.status).toBe(201);
  return created.body.workflow.id;
}

async function startRun(workflowId: string): Promise<string> {
  const started = await stack.api('POST', '/api/runs', { workflowId });
  expect(started.status).toBe(201);
  const runId: string = started.body.runId;
  await until(runId, async () => {
    const { body } = await stack.api('GET', `/api/runs/${runId}/steps`);
    return body.steps?.some((s: { nodeId: string; status: string }) => s.nodeId === 'Wait' && s.status === 'running');
  });
  return runId;
}

async function runStatus(runId: string): Promise<any> {
  return (await stack.api('GET', `/api/runs/${runId}`)).body.run;
}

async function until(runId: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Run ${runId} did not get there within ${timeoutMs} ms.`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('cancel and terminate', () => {
  let workflowId: string;
  beforeAll(async () => {
    workflowId = await waitingWorkflow('Waits ten minutes');
  });

  test('cancel stops a waiting run gracefully; a second cancel or a terminate then answers 409', async () => {
    const runId = await startRun(workflowId);
    const res = await stack.api('POST', `/api/runs/${runId}/cancel`, { reason: 'wrong input' });
    // 202 while the interpreter stops; 200 when a loaded machine let it record `cancelled` before the answer.
    expect([200, 202]).toContain(res.status);
    expect(res.body.run.runId).toBe(runId);

    await until(runId, async () => (await runStatus(runId)).status === 'cancelled');
    const run = await runStatus(runId);
    expect(run.error).toMatchObject({ code: 'cancelled', message: 'Run cancelled: wrong input (Owner)' });
    const { body } = await stack.api('GET', `/api/runs/${runId}/steps`);
    expect(body.steps.find((s: { nodeId: string }) => s.nodeId === 'Wait').status).toBe('failed');

    for (const action of ['cancel', 'terminate']) {
      const again = await stack.api('POST', `/api/runs/${runId}/${action}`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already ended \(cancelled\); there is nothing to/);
    }
  }, 60_000);

  test('terminate ends a run at once and records who and why', async () => {
    const runId = await startRun(workflowId);
    const res = await stack.api('POST', `/api/runs/${runId}/terminate`, { reason: 'stuck on a partner API' });
    expect(res.status).toBe(200);
    expect(res.body.run).toMatchObject({
      status: 'terminated',
      error: { code: 'terminated', message: 'Run terminated: terminated by Owner: stuck on a partner API' },
    });
    expect((await runStatus(runId)).status).toBe('terminated');
    const description = await (await getTemporalClient()).workflow.getHandle(runId).describe();
    expect(description.status.name).toBe('TERMINATED');
    const { body } = await stack.api('GET', `/api/runs/${runId}/steps`);
    expect(body.steps.find((s: { nodeId: string }) => s.nodeId === 'Wait')).toMatchObject({
      status: 'failed',
      error: { code: 'terminated' },
    });
  }, 60_000);

  test('unknown runs answer 404, bad bodies 400, and no one unauthenticated may stop a run', async () => {
    for (const action of ['cancel', 'terminate']) {
      const unknown = await stack.api('POST', `/api/runs/run_nope/${action}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe('Run run_nope does not exist.');
      expect((await stack.api('POST', `/api/runs/run_nope/${action}`, undefined, { token: null })).status).toBe(401);
      expect((await stack.api('POST', `/api/runs/run_nope/${action}`, { reason: 7 })).status).toBe(400);
      expect((await stack.api('GET', `/api/runs/run_nope/${action}`)).status).toBe(405);
    }
  });

  test('a run terminated out of band (not through Baton) reads terminated within seconds', async () => {
    const runId = await startRun(workflowId);
    await (await getTemporalClient()).workflow.getHandle(runId).terminate('killed with the temporal CLI');
    const since = Date.now();
    await until(runId, async () => (await runStatus(runId)).status === 'terminated', 10_000);
    expect(Date.now() - since).toBeLessThan(10_000);
    expect((await runStatus(runId)).error.message).toBe('Run terminated: killed with the temporal CLI');
  }, 60_000);
});

describe('retention settings', () => {
  test('PATCH sets and clears a workflow override without touching its revision', async () => {
    const workflowId = await waitingWorkflow('Retained');
    const set = await stack.api('PATCH', `/api/workflows/${workflowId}`, { retention: { days: 30, runs: 100 } });
    expect(set.status).toBe(200);
    expect(set.body.workflow).toMatchObject({ revision: 1, retention: { days: 30, runs: 100 } });

    const cleared = await stack.api('PATCH', `/api/workflows/${workflowId}`, { retention: { days: null } });
    expect(cleared.body.workflow.retention).toEqual({ days: null, runs: 100 });
    expect((await stack.api('GET', `/api/workflows/${workflowId}`)).body.workflow.retention).toEqual({
      days: null,
      runs: 100,
    });

    const bad = await stack.api('PATCH', `/api/workflows/${workflowId}`, { retention: { runs: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/retention\.runs/);
    expect((await stack.api('PATCH', '/api/workflows/000000000000000000000000', { retention: {} })).status).toBe(404);
  });
});

describe('deleting a workflow', () => {
  const quickDoc = docWith([manualNode('Start'), setNode('Set', { a: '1' })], [chain('Start', 'Set')]);

  async function workflowWithFinishedRun(name: string): Promise<{ workflowId: string; runId: string }> {
    const created = await stack.api('POST', '/api/workflows', { name, document: quickDoc });
    const workflowId = created.body.workflow.id;
    const { body } = await stack.api('POST', '/api/runs', { workflowId });
    await until(body.runId, async () => (await runStatus(body.runId)).status === 'succeeded');
    return { workflowId, runId: body.runId };
  }

  test('keeping its runs archives it: gone from the list and the API, runs still readable', async () => {
    const { workflowId, runId } = await workflowWithFinishedRun('Archived');
    expect((await stack.api('DELETE', `/api/workflows/${workflowId}?runs=keep`)).status).toBe(204);
    expect((await stack.api('GET', `/api/workflows/${workflowId}`)).status).toBe(404);
    const list = await stack.api('GET', '/api/workflows');
    expect(list.body.workflows.map((w: { id: string }) => w.id)).not.toContain(workflowId);
    expect((await stack.api('POST', '/api/runs', { workflowId })).status).toBe(404);
    expect((await runStatus(runId)).status).toBe('succeeded');
    expect((await stack.api('DELETE', `/api/workflows/${workflowId}`)).status).toBe(404);
  });

  test('deleting its runs terminates the active ones and removes every run', async () => {
    const { workflowId, runId: finished } = await workflowWithFinishedRun('Purged');
    const waiting = await waitingWorkflow('Purged with a waiting run');
    const active = await startRun(waiting);

    expect((await stack.api('DELETE', `/api/workflows/${workflowId}?runs=delete`)).status).toBe(204);
    expect((await stack.api('GET', `/api/runs/${finished}`)).status).toBe(404);
    expect((await stack.api('GET', `/api/runs?workflowId=${workflowId}`)).body.runs).toEqual([]);

    expect((await stack.api('DELETE', `/api/workflows/${waiting}?runs=delete`)).status).toBe(204);
    expect((await stack.api('GET', `/api/runs/${active}`)).status).toBe(404);
    const description = await (await getTemporalClient()).workflow.getHandle(active).describe();
    expect(description.status.name).toBe('TERMINATED');

    expect((await stack.api('DELETE', `/api/workflows/${workflowId}?runs=maybe`)).status).toBe(400);
  }, 60_000);
});
