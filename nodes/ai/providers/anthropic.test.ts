// The Anthropic provider (through @anthropic-ai/sdk) against a scripted Messages API server in its own process
// (test/fake-llm/anthropic-server.ts), which refuses what the real API refuses: streaming, tool_use/tool_result
// turns, JSON output as a forced tool, errors classified for the router, the probe, and the key kept to x-api-key.
import type { ChatMessage } from '../../../contracts/ai';
import { launchFakeLlm, type FakeLlm } from '../../../test/fake-llm/launch';
import { anthropicProvider } from './anthropic';
import { ModelCallError, type ModelTarget } from './types';

const KEY = 'sk-ant-canary-2b9e41c0';
let server: FakeLlm;
let target: ModelTarget;

beforeAll(async () => {
  server = await launchFakeLlm('anthropic', { apiKey: KEY });
  target = { provider: 'anthropic', model: 'claude-fake-4', baseUrl: server.url, apiKey: KEY, timeoutMs: 30_000 };
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
  expect((error as Error).message).not.toContain(KEY);
  return error as ModelCallError;
}

const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

test('streamed text reaches onText in order and makes the reply; usage comes from message_start and message_delta', async () => {
  const text = 'Welcome aboard, Jane! Your laptop ships Friday.';
  await server.script([{ kind: 'text', text, usage: { input: 120, output: 33 }, model: 'claude-fake-4-20261101' }]);
  const deltas: string[] = [];
  const reply = await anthropicProvider.chat(target, {
    messages: [{ role: 'system', content: 'You are an HR assistant.' }, ...ask('Greet Jane.')],
    temperature: 0,
    onText: (delta) => deltas.push(delta),
  });
  expect(deltas.length).toBeGreaterThan(text.split(' ').length);
  expect(deltas.join('')).toBe(text);
  expect(reply).toEqual({
    text,
    toolCalls: [],
    usage: { inputTokens: 120, outputTokens: 33 },
    finishReason: 'stop',
    model: 'claude-fake-4-20261101',
  });
  const [sent] = await server.requests();
  expect(sent.path).toBe('/v1/messages');
  expect(sent.body).toEqual({
    model: 'claude-fake-4',
    max_tokens: 4096,
    stream: true,
    system: 'You are an HR assistant.',
    temperature: 0,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Greet Jane.' }] }],
  });
  // The key travels in one header (Authorization: Bearer in SDK 1.x, x-api-key before), never in the body.
  const keyHeaders = [sent.headers.authorization, sent.headers['x-api-key']].filter((v) => String(v).includes(KEY));
  expect(keyHeaders).toHaveLength(1);
  expect(sent.headers['anthropic-version']).toBeTruthy();
  expect(JSON.stringify(sent.body)).not.toContain(KEY);
});

test('tool_use blocks become tool calls; results go back as tool_result blocks merged into one user turn', async () => {
  const tools = [
    {
      name: 'create_account',
      description: 'Creates an account.',
      parameters: { type: 'object', properties: { system: { type: 'string' } }, required: ['system'] },
    },
  ];
  await server.script([
    {
      kind: 'tool-calls',
      text: 'Creating both accounts.',
      calls: [
        { id: 'toolu_01', name: 'create_account', arguments: '{"system": "email", "user": "jane"}' },
        { id: 'toolu_02', name: 'create_account', arguments: '{"system": "slack"}' },
      ],
    },
    { kind: 'text', text: 'Both accounts exist.' },
  ]);
  const first = await anthropicProvider.chat(target, { messages: ask('Set Jane up.'), tools });
  expect(first).toMatchObject({
    text: 'Creating both accounts.',
    finishReason: 'tool-calls',
    toolCalls: [
      { id: 'toolu_01', name: 'create_account', arguments: { system: 'email', user: 'jane' } },
      { id: 'toolu_02', name: 'create_account', arguments: { system: 'slack' } },
    ],
  });
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Be careful.' },
    ...ask('Set Jane up.'),
    { role: 'assistant', content: first.text, toolCalls: first.toolCalls },
    { role: 'tool', toolCallId: 'toolu_01', name: 'create_account', content: 'created' },
    { role: 'tool', toolCallId: 'toolu_02', name: 'create_account', content: 'Slack is down', isError: true },
  ];
  const second = await anthropicProvider.chat(target, { messages, tools });
  expect(second.text).toBe('Both accounts exist.');
  const [, followUp] = await server.requests();
  const body = followUp.body as { system: string; messages: unknown[]; tools: unknown[] };
  expect(body.system).toBe('Be careful.');
  expect(body.tools).toEqual([
    { name: 'create_account', description: 'Creates an account.', input_schema: tools[0].parameters },
  ]);
  expect(body.messages).toEqual([
    { role: 'user', content: [{ type: 'text', text: 'Set Jane up.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Creating both accounts.' },
        { type: 'tool_use', id: 'toolu_01', name: 'create_account', input: { system: 'email', user: 'jane' } },
        { type: 'tool_use', id: 'toolu_02', name: 'create_account', input: { system: 'slack' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01', content: 'created' },
        { type: 'tool_result', tool_use_id: 'toolu_02', content: 'Slack is down', is_error: true },
      ],
    },
  ]);
});

test('tool input that is not JSON is kept raw, with no arguments', async () => {
  await server.script([
    { kind: 'tool-calls', calls: [{ id: 'toolu_9', name: 'create_account', arguments: '{"system": ' }] },
  ]);
  const reply = await anthropicProvider.chat(target, { messages: ask('Go.') });
  expect(reply.toolCalls).toEqual([
    { id: 'toolu_9', name: 'create_account', arguments: {}, rawArguments: '{"system": ' },
  ]);
});

test('JSON output is a forced final_answer tool; its streamed input is the reply text', async () => {
  const schema = { type: 'object', properties: { score: { type: 'integer' } }, required: ['score'] };
  await server.script([
    { kind: 'tool-calls', calls: [{ id: 'toolu_f', name: 'final_answer', arguments: '{"score": 4}' }] },
  ]);
  const deltas: string[] = [];
  const reply = await anthropicProvider.chat(target, {
    messages: ask('Score the candidate.'),
    output: { kind: 'json', schema },
    onText: (delta) => deltas.push(delta),
  });
  expect(reply).toMatchObject({ text: '{"score": 4}', toolCalls: [], finishReason: 'stop' });
  expect(deltas.join('')).toBe('{"score": 4}');
  const [sent] = await server.requests();
  const body = sent.body as { tools: Array<{ name: string; input_schema: unknown }>; tool_choice: unknown };
  expect(body.tool_choice).toEqual({ type: 'tool', name: 'final_answer' });
  expect(body.tools).toEqual([expect.objectContaining({ name: 'final_answer', input_schema: schema })]);
});

test('a JSON answer that is not an object is asked for wrapped in one field and unwrapped', async () => {
  const schema = { type: 'array', items: { type: 'string' } };
  await server.script([
    { kind: 'tool-calls', calls: [{ name: 'final_answer', arguments: '{"value": ["laptop", "badge"]}' }] },
  ]);
  const reply = await anthropicProvider.chat(target, {
    messages: ask('List the equipment.'),
    output: { kind: 'json', schema },
  });
  expect(JSON.parse(reply.text)).toEqual(['laptop', 'badge']);
  const [sent] = await server.requests();
  expect((sent.body as { tools: Array<{ input_schema: unknown }> }).tools[0].input_schema).toEqual({
    type: 'object',
    properties: { value: schema },
    required: ['value'],
  });
});

test('429 is a rate limit with the Retry-After wait; "prompt is too long" is a context overflow; 500 and 529 are server errors', async () => {
  await server.script([
    {
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '12' },
      body: {
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit' },
      },
    },
    {
      kind: 'error',
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum' },
      },
    },
    {
      kind: 'error',
      status: 500,
      body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } },
    },
    { kind: 'error', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
  ]);
  const limited = await failure(anthropicProvider.chat(target, { messages: ask('hi') }));
  expect(limited).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 12_000 });
  expect(limited.message).toContain('claude-fake-4');
  expect(limited.message).toContain('exceeded your rate limit');
  expect(await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).toMatchObject({
    kind: 'context-overflow',
    status: 400,
  });
  expect(await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).toMatchObject({
    kind: 'server',
    status: 500,
  });
  expect(await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).toMatchObject({
    kind: 'server',
    status: 529,
  });
});

test('an error event mid-stream is classified by its type; a stream cut short is malformed or a network error', async () => {
  await server.script([
    { kind: 'stream-error', text: 'Hel', error: { type: 'overloaded_error', message: 'Overloaded' } },
    { kind: 'drop', text: 'Half an answ', how: 'end' },
    { kind: 'broken-json', text: 'Some text' },
    { kind: 'drop', text: 'Half an answ', how: 'reset' },
  ]);
  const overloaded = await failure(anthropicProvider.chat(target, { messages: ask('hi') }));
  expect(overloaded.kind).toBe('server');
  expect(overloaded.message).toContain('Overloaded');
  expect((await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect((await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect(['network', 'malformed']).toContain(
    (await failure(anthropicProvider.chat(target, { messages: ask('hi') }))).kind,
  );
});

test('a server slower than the call timeout fails with timeout', async () => {
  await server.script([{ kind: 'text', text: 'late', delayMs: 60_000 }]);
  const slow = await failure(anthropicProvider.chat({ ...target, timeoutMs: 200 }, { messages: ask('hi') }));
  expect(slow.kind).toBe('timeout');
});

test('a refused key is an auth error whose message leaves out the key the server quoted', async () => {
  const wrongKey = 'sk-ant-wrong-canary-5c2d';
  const error = await failure(anthropicProvider.chat({ ...target, apiKey: wrongKey }, { messages: ask('hi') }));
  expect(error).toMatchObject({ kind: 'auth', status: 401 });
  expect(error.message).toContain('invalid x-api-key');
  expect(error.message).not.toContain(wrongKey);
});

test('probe: tools and JSON are native; the context length comes from GET /v1/models/{id}', async () => {
  await server.script([]); // no model call expected; this clears the request log
  const capabilities = await anthropicProvider.probe(target);
  expect(capabilities).toMatchObject({ toolCalling: true, json: 'schema', contextLength: 200_000, vision: true });
  const [sent] = await server.requests();
  expect(`${sent.method} ${sent.path}`).toBe('GET /v1/models/claude-fake-4');

  const unlisted = await anthropicProvider.probe({ ...target, model: 'claude-unlisted' });
  expect(unlisted.contextLength).toBeUndefined();
  expect(unlisted.toolCalling).toBe(true);
  await expect(anthropicProvider.probe({ ...target, apiKey: 'sk-ant-wrong-canary-probe' })).rejects.toMatchObject({
    kind: 'auth',
  });
});
