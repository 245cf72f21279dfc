// The model registry API (docs/decisions/053-agents.md) through the real web server and worker: models registered,
// listed, probed (against a scripted Ollama server in its own process), updated (a new target forgets the probe, a new
// name keeps it) and deleted, each change audited; refusals name the field at fault (a bad provider, a credential of
// another type or of another workspace, a local file name with a folder part, bad numbers); a viewer reads but is
// refused writes (403), and another workspace sees none of it (404).
import mongoose from 'mongoose';
import { launchFakeLlm, type FakeLlm } from '../test/fake-llm/launch';
import { startWebStack, viewerAndOutsider, type WebStack } from './web-test-stack';

let stack: WebStack;
let ollama: FakeLlm;
let viewerToken: string;
let otherToken: string;

const auditActions = async (targetId: string) =>
  (await mongoose.connection.db!.collection('audit_log').find({ 'target.id': targetId }).toArray()).map(
    (e) => e.action,
  );

beforeAll(async () => {
  stack = await startWebStack('models', { worker: true });
  ollama = await launchFakeLlm('ollama');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
  await ollama?.stop();
});

async function credential(type: string, values: Record<string, unknown>, token?: string): Promise<string> {
  const res = await stack.api(
    'POST',
    '/api/credentials',
    { name: `${type} ${Math.random()}`, type, values },
    { token },
  );
  expect(res.status).toBe(201);
  return res.body.credential.id;
}

const localModel = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  provider: 'local-gguf',
  model: 'tiny-llama.gguf',
  ...extra,
});

test('register, list, probe, update and delete, with one audit entry per change', async () => {
  const ollamaKey = await credential('ollama', { baseUrl: ollama.url });
  const created = await stack.api('POST', '/api/models', {
    name: 'Llama on Ollama',
    provider: 'ollama',
    model: 'llama3.1:8b',
    credentialId: ollamaKey,
    prices: { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.model.id;
  expect(id).toMatch(/^mdl_[0-9a-f-]{36}$/);
  expect(created.body.model).toMatchObject({
    name: 'Llama on Ollama',
    provider: 'ollama',
    credentialId: ollamaKey,
    prices: { inputPerMTok: 0.1, outputPerMTok: 0.4, perGpuSecond: 0 },
    concurrency: 1,
  });
  expect(created.body.model.capabilities).toBeUndefined();

  const local = await stack.api('POST', '/api/models', localModel('A tiny local model', { concurrency: 2 }));
  expect(local.status).toBe(201);
  expect(local.body.model).toMatchObject({ provider: 'local-gguf', model: 'tiny-llama.gguf', concurrency: 2 });
  expect(local.body.model.credentialId).toBeUndefined();

  const listed = await stack.api('GET', '/api/models');
  expect(listed.body.models.map((m: { name: string }) => m.name)).toEqual(['A tiny local model', 'Llama on Ollama']);
  expect((await stack.api('GET', `/api/models/${id}`)).body.model.name).toBe('Llama on Ollama');

  // The probe runs on the worker and asks the scripted server's /api/show.
  const probed = await stack.api('POST', `/api/models/${id}/probe`);
  expect(probed.status).toBe(200);
  expect(probed.body.model.capabilities).toMatchObject({
    toolCalling: true,
    json: 'schema',
    contextLength: 131072,
    vision: false,
  });
  expect(probed.body.model.probedAt).toEqual(expect.any(String));
  expect((await ollama.requests()).some((r) => r.path === '/api/show')).toBe(true);

  // A local file the workers do not have: the probe's error is stored on the model.
  const missing = await stack.api('POST', `/api/models/${local.body.model.id}/probe`);
  expect(missing.status).toBe(200);
  expect(missing.body.model.probeError).toContain('tiny-llama.gguf does not exist on this worker');
  expect(missing.body.model.capabilities).toBeUndefined();

  const same = { name: 'Llama 3.1', provider: 'ollama', model: 'llama3.1:8b', credentialId: ollamaKey };
  const renamed = await stack.api('PUT', `/api/models/${id}`, { ...same, prices: { inputPerMTok: 0.2 } });
  expect(renamed.status).toBe(200);
  expect(renamed.body.model).toMatchObject({ name: 'Llama 3.1', prices: { inputPerMTok: 0.2, outputPerMTok: 0 } });
  expect(renamed.body.model.capabilities).toMatchObject({ toolCalling: true });

  const retargeted = await stack.api('PUT', `/api/models/${id}`, { ...same, model: 'qwen2.5:7b' });
  expect(retargeted.status).toBe(200);
  expect(retargeted.body.model.model).toBe('qwen2.5:7b');
  expect(retargeted.body.model.capabilities).toBeUndefined();
  expect(retargeted.body.model.probedAt).toBeUndefined();

  expect((await stack.api('DELETE', `/api/models/${id}`)).body).toEqual({ deleted: true });
  expect((await stack.api('GET', `/api/models/${id}`)).status).toBe(404);
  expect((await stack.api('DELETE', `/api/models/${id}`)).status).toBe(404);
  expect(await auditActions(id)).toEqual(['model.create', 'model.update', 'model.update', 'model.delete']);
});

test('refusals say which field is wrong, and store nothing', async () => {
  const refused = async (body: Record<string, unknown>, status = 400) => {
    const res = await stack.api('POST', '/api/models', body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body.error as { message: string; field?: string };
  };

  const provider = await refused({ name: 'X', provider: 'openai', model: 'gpt-4o' });
  expect(provider.message).toContain('provider');

  const remote = { name: 'Hosted', provider: 'openai-compatible', model: 'gpt-4o-mini' };
  expect(await refused(remote)).toMatchObject({ field: 'credentialId' });
  const bearer = await credential('bearer-token', { token: 'not-a-model-key' });
  expect(await refused({ ...remote, credentialId: bearer })).toEqual({
    message: expect.stringContaining(
      'is a bearer-token credential; openai-compatible models need a openai-compatible one',
    ),
    field: 'credentialId',
  });
  const theirs = await credential('openai-compatible', { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k' }, otherToken);
  expect(await refused({ ...remote, credentialId: theirs })).toEqual({
    message: `Credential ${theirs} is not in this workspace.`,
    field: 'credentialId',
  });

  for (const file of ['../models/tiny.gguf', 'sub/tiny.gguf', 'sub\\tiny.gguf', '/etc/tiny.gguf', 'tiny.bin'])
    expect(await refused(localModel('Local', { model: file }))).toMatchObject({
      message: expect.stringContaining('without any folder part'),
      field: 'model',
    });
  expect(await refused(localModel('Local', { prices: { inputPerMTok: -1 } }))).toMatchObject({ field: 'prices' });
  expect(await refused(localModel('Local', { concurrency: 0 }))).toMatchObject({ field: 'concurrency' });
  expect(await refused(localModel('Local', { contextLength: 10 }))).toMatchObject({ field: 'contextLength' });
  expect(await refused(localModel('  '))).toMatchObject({ field: 'name' });

  expect((await stack.api('POST', '/api/models', localModel('Taken'))).status).toBe(201);
  expect(await refused(localModel('TAKEN'), 409)).toEqual({
    message: 'This workspace already has a model "Taken".',
    field: 'name',
  });
  const names = (await stack.api('GET', '/api/models')).body.models.map((m: { name: string }) => m.name);
  expect(names).not.toContain('Local');
  expect(names).not.toContain('Hosted');
});

test('a viewer reads but may not change; another workspace sees nothing of it', async () => {
  const { body } = await stack.api('POST', '/api/models', localModel('Shared reading'));
  const id: string = body.model.id;

  const viewer = { token: viewerToken };
  expect(
    (await stack.api('GET', '/api/models', undefined, viewer)).body.models.map((m: { id: string }) => m.id),
  ).toContain(id);
  expect((await stack.api('GET', `/api/models/${id}`, undefined, viewer)).status).toBe(200);
  for (const [method, path, send] of [
    ['POST', '/api/models', localModel('By a viewer')],
    ['PUT', `/api/models/${id}`, localModel('Renamed by a viewer')],
    ['DELETE', `/api/models/${id}`, undefined],
    ['POST', `/api/models/${id}/probe`, undefined],
  ] as const) {
    const res = await stack.api(method, path, send, viewer);
    expect([method, path, res.status]).toEqual([method, path, 403]);
    expect(res.body.error.message).toContain('credential.write');
  }

  const other = { token: otherToken };
  expect((await stack.api('GET', '/api/models', undefined, other)).body.models).toEqual([]);
  for (const [method, path, send] of [
    ['GET', `/api/models/${id}`, undefined],
    ['PUT', `/api/models/${id}`, localModel('Renamed by a stranger')],
    ['DELETE', `/api/models/${id}`, undefined],
    ['POST', `/api/models/${id}/probe`, undefined],
  ] as const) {
    const res = await stack.api(method, path, send, other);
    expect([method, path, res.status]).toEqual([method, path, 404]);
  }
  expect((await stack.api('GET', `/api/models/${id}`)).body.model.name).toBe('Shared reading');
});

test("the workspace's routing: a fallback model of this workspace and a budget from 0, else a refusal naming the field", async () => {
  const local = await stack.api('POST', '/api/models', localModel('Routing fallback', {}));
  expect(local.status).toBe(201);
  const saved = await stack.api('PUT', '/api/ai-settings', {
    fallbackModelId: local.body.model.id,
    monthlyBudgetUsd: 25,
  });
  expect(saved.status).toBe(200);
  expect((await stack.api('GET', '/api/ai-settings')).body.settings).toEqual({
    fallbackModelId: local.body.model.id,
    monthlyBudgetUsd: 25,
  });
  const unknown = await stack.api('PUT', '/api/ai-settings', { fallbackModelId: 'mdl_nope' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toMatchObject({ field: 'fallbackModelId' });
  const negative = await stack.api('PUT', '/api/ai-settings', { monthlyBudgetUsd: -1 });
  expect(negative.body.error).toMatchObject({ field: 'monthlyBudgetUsd' });
  // Refusals changed nothing.
  expect((await stack.api('GET', '/api/ai-settings')).body.settings.monthlyBudgetUsd).toBe(25);
  expect((await stack.api('PUT', '/api/ai-settings', {})).body.settings).toEqual({});
});
