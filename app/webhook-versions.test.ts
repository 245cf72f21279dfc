// The webhook follows the workflow's published version at once, although the web server keeps published plans
// in memory: a new publish moves the webhook to the new version's path, and deleting the workflow turns it off.
// No worker runs: the started runs stay queued and are terminated at the end.
import { closeTemporalClient, terminateRun } from '../temporal/client';
import { chain, docWith, setNode, webhookNode } from './web-test-documents';
import { startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;
const started: string[] = [];

beforeAll(async () => {
  stack = await startWebStack('webhook_versions');
}, 240_000);

afterAll(async () => {
  for (const runId of started) await terminateRun(runId, 'test finished').catch(() => undefined);
  await closeTemporalClient();
  await stack?.stop();
});

const documentFor = (path: string) =>
  docWith([webhookNode('w', { path, method: 'POST' }), setNode('s', { seen: 'yes' })], [chain('w', 's')]);

async function hook(workflowId: string, path: string): Promise<number> {
  const res = await fetch(`${stack.url}/hooks/${workflowId}/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (res.status === 202) started.push((await res.json()).runId);
  return res.status;
}

test('a new publish moves the webhook to the new version at once; a deleted workflow answers 404 at once', async () => {
  const created = await stack.api('POST', '/api/workflows', { name: 'Moving', document: documentFor('first') });
  const id = created.body.workflow.id;
  expect((await stack.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);
  expect(await hook(id, 'first')).toBe(202);
  expect(await hook(id, 'first')).toBe(202); // served from memory now

  const saved = await stack.api('PUT', `/api/workflows/${id}`, {
    revision: created.body.workflow.revision,
    document: documentFor('second'),
  });
  expect(saved.status).toBe(200);
  expect(await hook(id, 'first')).toBe(202); // a saved draft changes nothing until it is published
  expect((await stack.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);
  expect(await hook(id, 'first')).toBe(404);
  expect(await hook(id, 'second')).toBe(202);
  const runs = (await stack.api('GET', `/api/runs?workflowId=${id}`)).body.runs;
  expect(runs.map((r: { workflowVersion: number }) => r.workflowVersion)).toEqual([2, 1, 1, 1]);

  expect((await stack.api('DELETE', `/api/workflows/${id}?runs=keep`)).status).toBe(204);
  expect(await hook(id, 'second')).toBe(404);
}, 120_000);
