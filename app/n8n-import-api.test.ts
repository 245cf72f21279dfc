// POST /api/workflows/import-n8n through the real web server: a fixture becomes a draft workflow in the caller's
// workspace with its summary; preview creates nothing; a broken file is a 422 naming node and field; an oversized
// body a 413; a viewer is refused (workflow.write).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWebStack, type WebStack, viewerAndOutsider } from './web-test-stack';
import mongoose from 'mongoose';

let stack: WebStack;
let viewerToken: string;
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../test/n8n/${name}.json`, import.meta.url)), 'utf8');

beforeAll(async () => {
  stack = await startWebStack('n8n_import');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken } = await viewerAndOutsider());
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

test('an n8n file becomes a draft workflow, placeholders disabled, with the summary', async () => {
  const res = await stack.api('POST', '/api/workflows/import-n8n', { source: fixture('schedule-unknown') });
  expect(res.status).toBe(201);
  expect(res.body.workflow.name).toBe('Nightly sheet sync');
  expect(res.body.summary.placeholders.map((p: { node: string }) => p.node)).toEqual(['Read sheet', 'Route by status']);
  expect(res.body.summary.credentials).toEqual([
    { node: 'Read sheet', n8nType: 'googleSheetsOAuth2Api', n8nName: 'Google Sheets account' },
  ]);

  const saved = await stack.api('GET', `/api/workflows/${res.body.workflow.id}`);
  expect(saved.status).toBe(200);
  const sheet = saved.body.workflow.document.nodes.find((n: { name: string }) => n.name === 'Read sheet');
  expect(sheet).toMatchObject({ type: 'n8n-placeholder', disabled: true, position: { x: 300, y: 0 } });
  expect(saved.body.workflow.publishedVersion ?? null).toBeNull();
});

test('preview returns the summary and creates nothing', async () => {
  const before = (await stack.api('GET', '/api/workflows')).body.workflows.length;
  const res = await stack.api('POST', '/api/workflows/import-n8n', {
    source: JSON.parse(fixture('onboarding-branches')),
    name: 'Renamed on import',
    preview: true,
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ name: 'Renamed on import', nodes: 9 });
  expect(res.body.summary.imported).toHaveLength(9);
  expect((await stack.api('GET', '/api/workflows')).body.workflows.length).toBe(before);
});

test('a broken file is a 422 naming the node and field', async () => {
  const res = await stack.api('POST', '/api/workflows/import-n8n', {
    source: JSON.stringify({
      nodes: [{ name: 'A', type: 'n8n-nodes-base.noOp' }],
      connections: { A: { main: [[{ node: 'Ghost', type: 'main', index: 0 }]] } },
    }),
  });
  expect(res.status).toBe(422);
  expect(res.body.error.message).toContain('connections["A"].main[0][0].node: "Ghost" is not a node in the file');
  expect(res.body.error.problems).toEqual([
    { path: 'connections["A"].main[0][0].node', message: '"Ghost" is not a node in the file' },
  ]);
});

test('a body past the import limit is a 413 that says so', async () => {
  const res = await stack.api('POST', '/api/workflows/import-n8n', { source: 'x'.repeat(7 * 1024 * 1024) });
  expect(res.status).toBe(413);
  expect(res.body.error.message).toBe(
    'The n8n file is larger than the 5 MB import limit; split the workflow in n8n first.',
  );
});

test('a viewer cannot import', async () => {
  const res = await stack.api(
    'POST',
    '/api/workflows/import-n8n',
    { source: fixture('webhook-legacy') },
    { token: viewerToken },
  );
  expect(res.status).toBe(403);
  expect(res.body.error.message).toContain('workflow.write');
});
