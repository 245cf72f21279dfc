// The Ollama provider against a scripted Ollama server in its own process (test/fake-llm/ollama-server.ts): NDJSON
// streaming, tool calls, `format` and `num_ctx`, errors, the /api/show probe, and the Ollama credential's test.
import type { ChatMessage } from '../../../contracts/ai';
import { launchFakeLlm, type FakeLlm } from '../../../test/fake-llm/launch';
import { ollama } from '../../credentials/ollama';
import { testCredential } from '../../credentials/test-connection';
import { ollamaProvider } from './ollama';
import { ModelCallError, type ModelTarget } from './types';

let server: FakeLlm;
let target: ModelTarget;

beforeAll(async () => {
  server = await launchFakeLlm('ollama');
  target = { provider: 'ollama', model: 'llama3.1:8b', baseUrl: server.url, timeoutMs: 30_000, contextLength: 16384 };
});

afterAll(async () => {
  await server?.stop();
});

async function failure(call: Promise<unknown>): Promise<ModelCallError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

test('streamed text reaches onText in order; usage comes from prompt_eval_count and eval_count', async () => {
  const text = 'Jane Doe starts on Monday in the Berlin office.';
  await server.script([{ kind: 'text', text, usage: { input: 31, output: 12 } }]);
  const deltas: string[] = [];
  const reply = await ollamaProvider.chat(target, {
    messages: ask('When does Jane start?'),
    maxTokens: 100,
    seed: 7,
    onText: (delta) => deltas.push(delta),
  });
  expect(deltas.length).toBeGreaterThan(text.split(' ').length);
  expect(deltas.join('')).toBe(text);
  expect(reply).toEqual({
    text,
    toolCalls: [],
    usage: { inputTokens: 31, outputTokens: 12 },
    finishReason: 'stop',
    model: 'llama3.1:8b',
  });
  const [sent] = await server.requests();
  expect(sent.path).toBe('/api/chat');
  expect(sent.body).toEqual({
    model: 'llama3.1:8b',
    messages: [{ role: 'user', content: 'When does Jane start?' }],
    stream: true,
    options: { num_ctx: 16384, num_predict: 100, seed: 7 },
  });
});

test('tool calls come back with ids; results go back as tool messages naming the tool', async () => {
  const tools = [
    { name: 'get_time', description: 'Returns the time.', parameters: { type: 'object', properties: {} } },
  ];
  await server.script([
    { kind: 'tool-calls', calls: [{ name: 'get_time', arguments: '{"zone": "Europe/Berlin"}' }] },
    { kind: 'text', text: 'It is noon in Berlin.' },
  ]);
  const first = await ollamaProvider.chat(target, { messages: ask('Time in Berlin?'), tools });
  expect(first.finishReason).toBe('tool-calls');
  expect(first.toolCalls).toEqual([
    { id: expect.stringMatching(/^call_/), name: 'get_time', arguments: { zone: 'Europe/Berlin' } },
  ]);
  const messages: ChatMessage[] = [
    ...ask('Time in Berlin?'),
    { role: 'assistant', content: '', toolCalls: first.toolCalls },
    { role: 'tool', toolCallId: first.toolCalls[0].id, name: 'get_time', content: '12:00' },
  ];
  expect((await ollamaProvider.chat(target, { messages, tools })).text).toBe('It is noon in Berlin.');
  const [asked, followUp] = await server.requests();
  expect((asked.body as { tools: unknown[] }).tools).toEqual([{ type: 'function', function: tools[0] }]);
  expect((followUp.body as { messages: unknown[] }).messages.slice(1)).toEqual([
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_time', arguments: { zone: 'Europe/Berlin' } } }],
    },
    { role: 'tool', content: '12:00', tool_name: 'get_time' },
  ]);
});

test('JSON output sends the schema as format', async () => {
  const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
  await server.script([{ kind: 'text', text: '{"age": 22}' }]);
  const reply = await ollamaProvider.chat(target, { messages: ask('How old?'), output: { kind: 'json', schema } });
  expect(reply.text).toBe('{"age": 22}');
  const [sent] = await server.requests();
  expect((sent.body as { format: unknown }).format).toEqual(schema);
});

test('errors: a missing model is a bad request, a context overflow is one, a 500 and an error line are server errors', async () => {
  await server.script([
    { kind: 'error', status: 404, body: { error: "model 'llama3.1:8b' not found, try pulling it first" } },
    { kind: 'error', status: 400, body: { error: 'the input length exceeds the context length' } },
    { kind: 'error', status: 500, body: { error: 'llama runner process has terminated' } },
    { kind: 'stream-error', text: 'Hel', error: 'an error was encountered while running the model' },
    { kind: 'error', status: 429, headers: { 'retry-after': '3' }, body: { error: 'too many requests' } },
  ]);
  const missing = await failure(ollamaProvider.chat(target, { messages: ask('hi') }));
  expect(missing).toMatchObject({ kind: 'bad-request', status: 404 });
  expect(missing.message).toContain('not found, try pulling it first');
  expect((await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).kind).toBe('context-overflow');
  expect(await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).toMatchObject({
    kind: 'server',
    status: 500,
  });
  expect((await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).kind).toBe('server');
  expect(await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).toMatchObject({
    kind: 'rate-limit',
    retryAfterMs: 3000,
  });
});

test('a stream that ends before done, or breaks its JSON, is malformed; a slow server times out', async () => {
  await server.script([
    { kind: 'drop', text: 'Half an answ', how: 'end' },
    { kind: 'broken-json', text: 'Some' },
    { kind: 'text', text: 'late', delayMs: 60_000 },
  ]);
  expect((await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect((await failure(ollamaProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect((await failure(ollamaProvider.chat({ ...target, timeoutMs: 200 }, { messages: ask('hi') }))).kind).toBe(
    'timeout',
  );
});

test('probe: context length and capabilities from /api/show', async () => {
  await server.script([]); // no model call expected; this clears the request log
  const capabilities = await ollamaProvider.probe(target);
  expect(capabilities).toMatchObject({ toolCalling: true, json: 'schema', contextLength: 131072, vision: false });
  const [sent] = await server.requests();
  expect(sent).toMatchObject({ method: 'POST', path: '/api/show', body: { model: 'llama3.1:8b' } });
});

test('probe: an Ollama that lists no capabilities is asked for a tool call, and a plain-text answer means none', async () => {
  const old = await launchFakeLlm('ollama', {
    show: { model_info: { 'general.architecture': 'qwen2', 'qwen2.context_length': 32768 } },
  });
  try {
    await old.script([{ kind: 'text', text: 'It is noon.' }]);
    const capabilities = await ollamaProvider.probe({ ...target, baseUrl: old.url });
    expect(capabilities).toMatchObject({ toolCalling: false, contextLength: 32768, vision: false });
    expect(capabilities.notes).toContain('tool call answered with plain text');
  } finally {
    await old.stop();
  }
});

test('the Ollama credential test lists the pulled models', async () => {
  expect(await testCredential(ollama, { baseUrl: server.url })).toEqual({
    ok: true,
    message: 'Connected to Ollama: 1 models pulled, e.g. fake:latest.',
  });
  const wrong = await testCredential(ollama, { baseUrl: `${server.url}/nothing-here` });
  expect(wrong.ok).toBe(false);
  expect(wrong.message).toContain('GET /api/tags did not list models');
});
