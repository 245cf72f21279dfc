// The credentials API through the real web server and worker: answers never carry a secret, fields are checked by
// type and named, a blank secret keeps the stored one, another workspace's credential is a 404, a viewer is refused
// (403 naming credential.write), deleting a credential in use needs ?force=1 and names the workflows, the
// connection test scrubs echoed secrets, and create, update, delete and each run step's use leave one audit entry.
import mongoose from 'mongoose';
import { startSink, type Sink } from '../test/sink';
import { chain, docWith, httpNode, manualNode, webhookNode } from './web-test-documents';
import { runToEnd, startWebStack, viewerAndOutsider, type WebStack } from './web-test-stack';

const SECRET = 'tok-0123456789-abcdef';
let stack: WebStack;
let sink: Sink;
let viewerToken: string;
let otherToken: string;

const auditEntries = (action: string, targetId: string) =>
  mongoose.connection.db!.collection('audit_log').find({ action, 'target.id': targetId }).toArray();

beforeAll(async () => {
  stack = await startWebStack('credentials', { worker: true });
  sink = await startSink();
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
  await sink?.close();
});

test('create, read, update and list never answer with a secret; fields are checked and named', async () => {
  const types = await stack.api('GET', '/api/credential-types');
  const bearer = types.body.types.find((t: { type: string }) => t.type === 'bearer-token');
  expect(bearer.fields).toEqual([expect.objectContaining({ key: 'token', secret: true })]);

  const bad = await stack.api('POST', '/api/credentials', {
    name: 'Header',
    type: 'http-header-auth',
    values: { name: 'X Bad', extra: 1 },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('name: Header name: must be a header name');
  expect(bad.body.error.message).toContain('value: Header value is required');
  expect(bad.body.error.message).toContain('extra: is not a field of Header auth credentials');
  expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'name', 'value']);
  const unknownType = await stack.api('POST', '/api/credentials', { name: 'X', type: 'nope', values: {} });
  expect(unknownType.status).toBe(400);
  expect(unknownType.body.error.message).toContain('type: Unknown credential type "nope"');

  const created = await stack.api('POST', '/api/credentials', {
    name: 'Billing',
    type: 'bearer-token',
    values: { token: SECRET },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.credential.id;
  expect(created.body.credential).toMatchObject({ name: 'Billing', secretFields: { token: 'set' }, usedBy: [] });

  const renamed = await stack.api('PATCH', `/api/credentials/${id}`, { name: 'Billing API', values: { token: '' } });
  expect(renamed.status).toBe(200);
  expect(renamed.body.credential).toMatchObject({ name: 'Billing API', secretFields: { token: 'set' } });
  const invalidName = await stack.api('PATCH', `/api/credentials/${id}`, { name: '' });
  expect(invalidName.status).toBe(400);
  expect(invalidName.body.error.message).toContain('name: Name must be 1 to 200 characters');

  const answers = [
    created,
    renamed,
    await stack.api('GET', `/api/credentials/${id}`),
    await stack.api('GET', '/api/credentials'),
    await stack.api('GET', '/api/credentials?type=bearer-token'),
    await stack.api('GET', `/api/credentials/${id}/usage`),
  ];
  for (const answer of answers) expect(answer.status).toBeLessThan(300);
  expect(JSON.stringify(answers.map((a) => a.body))).not.toContain(SECRET);
  expect(answers[4].body.credentials.map((c: { id: string }) => c.id)).toContain(id);
  expect((await stack.api('GET', '/api/credentials?type=basic-auth')).body.credentials).toEqual([]);

  // The stored document holds no plaintext either.
  const doc = await mongoose.connection.db!.collection('credentials').findOne({ _id: id as never });
  expect(JSON.stringify(doc)).not.toContain(SECRET);
  expect(await auditEntries('credential.create', id)).toHaveLength(1);
  expect(await auditEntries('credential.update', id)).toHaveLength(1); // the refused update left none
  expect(JSON.stringify(await mongoose.connection.db!.collection('audit_log').find({}).toArray())).not.toContain(
    SECRET,
  );
});

test('another workspace’s credential is a 404, and a viewer may read but not change', async () => {
  const { body } = await stack.api('POST', '/api/credentials', {
    name: 'Mine',
    type: 'bearer-token',
    values: { token: SECRET },
  });
  const id: string = body.credential.id;
  for (const [method, path] of [
    ['GET', `/api/credentials/${id}`],
    ['PATCH', `/api/credentials/${id}`],
    ['DELETE', `/api/credentials/${id}`],
    ['GET', `/api/credentials/${id}/usage`],
    ['POST', `/api/credentials/${id}/connection-test`],
  ] as const) {
    const res = await stack.api(method, path, method === 'PATCH' ? { name: 'Stolen' } : undefined, {
      token: otherToken,
    });
    expect([method, path, res.status]).toEqual([method, path, 404]);
  }
  expect((await stack.api('GET', '/api/credentials', undefined, { token: otherToken })).body.credentials).toEqual([]);

  expect((await stack.api('GET', `/api/credentials/${id}`, undefined, { token: viewerToken })).status).toBe(403);
  const refused = await stack.api(
    'POST',
    '/api/credentials',
    { name: 'V', type: 'bearer-token', values: {} },
    {
      token: viewerToken,
    },
  );
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toContain('credential.write');
});

test('a run uses the credential (one audit entry per step use); deleting it warns, then needs force', async () => {
  sink.handle((req, res) => {
    const ok = req.headers.authorization === `Bearer ${SECRET}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
  const { body } = await stack.api('POST', '/api/credentials', {
    name: 'Run key',
    type: 'bearer-token',
    values: { token: SECRET },
  });
  const id: string = body.credential.id;
  const document = docWith(
    [manualNode('t'), httpNode('h', { url: `${sink.url}/x`, authentication: 'credential', credential: id })],
    [chain('t', 'h')],
  );
  const workflow = (await stack.api('POST', '/api/workflows', { name: 'Uses the key', document })).body.workflow;
  const run = await runToEnd(stack, workflow.id);
  expect(run.status).toBe('succeeded');
  expect(run.output).toMatchObject({ h: { status: 200, body: { ok: true } } });
  const uses = await auditEntries('credential.use', id);
  expect(uses).toHaveLength(1);
  expect(uses[0]).toMatchObject({
    workspaceId: 'ws_default',
    actor: { id: 'system' },
    change: { runId: run.runId, nodeId: 'h' },
  });

  const listed = await stack.api('GET', '/api/credentials');
  expect(listed.body.credentials.find((c: { id: string }) => c.id === id).usedBy).toEqual([
    { workflowId: workflow.id, workflowName: 'Uses the key', nodes: ['h'] },
  ]);
  const warned = await stack.api('DELETE', `/api/credentials/${id}`);
  expect(warned.status).toBe(409);
  expect(warned.body.error.message).toContain('is used by 1 workflow ("Uses the key")');
  expect(warned.body.error.usedBy).toHaveLength(1);
  expect(await auditEntries('credential.delete', id)).toHaveLength(0);
  const forced = await stack.api('DELETE', `/api/credentials/${id}?force=1`);
  expect(forced.status).toBe(200);
  expect(await auditEntries('credential.delete', id)).toHaveLength(1);

  const after = await runToEnd(stack, workflow.id);
  expect(after.status).toBe('failed');
  expect(after.error.message).toContain(`Credential ${id} does not exist in this workspace`);
});

test('an express-mode webhook run opens the credential in the web process, and an echoed secret is scrubbed', async () => {
  sink.handle((req, res) => {
    const ok = req.headers.authorization === `Bearer ${SECRET}`;
    res
      .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ok, echo: req.headers.authorization ?? null }));
  });
  const { body } = await stack.api('POST', '/api/credentials', {
    name: 'Express key',
    type: 'bearer-token',
    values: { token: SECRET },
  });
  const id: string = body.credential.id;
  const document = {
    ...docWith(
      [
        webhookNode('w', { path: 'billing', method: 'POST', waitForCompletion: true }),
        httpNode('h', { url: `${sink.url}/x`, authentication: 'credential', credential: id }),
      ],
      [chain('w', 'h')],
    ),
    settings: { mode: 'express' },
  };
  const workflow = (await stack.api('POST', '/api/workflows', { name: 'Express uses the key', document })).body
    .workflow;
  expect((await stack.api('POST', `/api/workflows/${workflow.id}/publish`)).status).toBe(201);

  const res = await fetch(`${stack.url}/hooks/${workflow.id}/billing`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  expect(JSON.parse(text)).toMatchObject({ h: { status: 200, body: { ok: true, echo: 'Bearer [secret]' } } });
  expect(text).not.toContain(SECRET);
  expect(await auditEntries('credential.use', id)).toHaveLength(1);
});

test('the connection test runs the type’s check and scrubs the secret the server echoes', async () => {
  sink.handle((req, res) => {
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { message: `invalid key ${req.headers.authorization}` } }));
  });
  const unsaved = await stack.api('POST', '/api/credentials/connection-test', {
    type: 'openai-compatible',
    values: { baseUrl: sink.url, apiKey: SECRET },
  });
  expect(unsaved.status).toBe(200);
  expect(unsaved.body.ok).toBe(false);
  expect(unsaved.body.message).toContain('invalid key Bearer [secret]');

  const { body } = await stack.api('POST', '/api/credentials', {
    name: 'LLM',
    type: 'openai-compatible',
    values: { baseUrl: sink.url, apiKey: SECRET },
  });
  const stored = await stack.api('POST', `/api/credentials/${body.credential.id}/connection-test`, {
    values: { apiKey: '' },
  });
  expect(stored.body).toMatchObject({ ok: false });
  expect(stored.body.message).toContain('[secret]');
  expect(JSON.stringify([unsaved.body, stored.body])).not.toContain(SECRET);
});
