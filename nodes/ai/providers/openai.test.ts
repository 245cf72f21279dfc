// The OpenAI-compatible provider against a scripted Chat Completions server running in its own process
// (test/fake-llm/openai-server.ts): streaming, tool calls, errors classified for the router, structured output with
// its json_object fallback, the probe, and the API key kept to the Authorization header.
import type { ChatMessage } from '../../../contracts/ai';
import { launchFakeLlm, type FakeLlm } from '../../../test/fake-llm/launch';
import { retryAfterMs } from './errors';
import { openaiProvider } from './openai';
import { ModelCallError, type ModelTarget } from './types';

const KEY = 'sk-canary-openai-5d1f0b7e';
let server: FakeLlm;
let target: ModelTarget;

beforeAll(async () => {
  server = await launchFakeLlm('openai', {
    apiKey: KEY,
    models: [
      { id: 'fake-model', object: 'model', created: 1_733_000_000, owned_by: 'vllm', max_model_len: 32768 },
      { id: 'other-model', object: 'model', created: 1_733_000_000, owned_by: 'vllm' },
    ],
  });
  target = { provider: 'openai-compatible', model: 'fake-model', baseUrl: server.url, apiKey: KEY, timeoutMs: 30_000 };
});

afterAll(async () => {
  await server?.stop();
});

/** The ModelCallError a call fails with; its message never holds the key. */
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

test('streamed text reaches onText piece by piece, in order, and the pieces make the reply text', async () => {
  const text = 'Onboarding checklist prepared for Jane Doe: laptop, badge, accounts.';
  await server.script([{ kind: 'text', text, usage: { input: 42, output: 17 } }]);
  const deltas: string[] = [];
  const reply = await openaiProvider.chat(target, {
    messages: [{ role: 'system', content: 'Be brief.' }, ...ask('Prepare the onboarding.')],
    temperature: 0.2,
    maxTokens: 300,
    onText: (delta) => deltas.push(delta),
  });
  expect(deltas.length).toBeGreaterThan(text.split(' ').length); // split inside words, not only between them
  expect(deltas.join('')).toBe(text);
  expect(reply).toEqual({
    text,
    toolCalls: [],
    usage: { inputTokens: 42, outputTokens: 17 },
    finishReason: 'stop',
    model: 'fake-model',
  });
  const [sent] = await server.requests();
  expect(sent.path).toBe('/v1/chat/completions');
  expect(sent.body).toEqual({
    model: 'fake-model',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Prepare the onboarding.' },
    ],
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 300,
    temperature: 0.2,
  });
  expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
  expect(JSON.stringify(sent.body)).not.toContain(KEY);
});

test('without usage in the stream, tokens are estimated from the characters', async () => {
  await server.script([{ kind: 'text', text: 'Hello there', usage: 'none' }]);
  const reply = await openaiProvider.chat(target, { messages: ask('Say hello, please') });
  // 17 characters of prompt + "[]" for the tools, 11 of reply, at four characters a token.
  expect(reply.usage).toEqual({ inputTokens: 5, outputTokens: 3 });
});

test('tool calls are assembled from fragments, and the follow-up sends calls and results in OpenAI shape', async () => {
  const tools = [
    {
      name: 'lookup_employee',
      description: 'Finds an employee.',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    },
    { name: 'list_devices', description: 'Lists devices.', parameters: { type: 'object', properties: {} } },
  ];
  await server.script([
    {
      kind: 'tool-calls',
      text: 'Let me check.',
      calls: [
        { id: 'call_lookup', name: 'lookup_employee', arguments: '{"id": "E-1042", "fields": ["name", "start"]}' },
        { id: 'call_devices', name: 'list_devices', arguments: '' },
      ],
    },
    { kind: 'text', text: 'Jane starts Monday and has no devices yet.' },
  ]);
  const first = await openaiProvider.chat(target, { messages: ask('When does E-1042 start?'), tools });
  expect(first.text).toBe('Let me check.');
  expect(first.finishReason).toBe('tool-calls');
  expect(first.toolCalls).toEqual([
    { id: 'call_lookup', name: 'lookup_employee', arguments: { id: 'E-1042', fields: ['name', 'start'] } },
    { id: 'call_devices', name: 'list_devices', arguments: {} },
  ]);

  const messages: ChatMessage[] = [
    ...ask('When does E-1042 start?'),
    { role: 'assistant', content: '', toolCalls: first.toolCalls },
    { role: 'tool', toolCallId: 'call_lookup', name: 'lookup_employee', content: '{"name":"Jane","start":"Monday"}' },
    { role: 'tool', toolCallId: 'call_devices', name: 'list_devices', content: 'none', isError: false },
  ];
  const second = await openaiProvider.chat(target, { messages, tools });
  expect(second.text).toBe('Jane starts Monday and has no devices yet.');
  const [, followUp] = await server.requests();
  expect((followUp.body as { messages: unknown[] }).messages.slice(1)).toEqual([
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_lookup',
          type: 'function',
          function: { name: 'lookup_employee', arguments: '{"id":"E-1042","fields":["name","start"]}' },
        },
        { id: 'call_devices', type: 'function', function: { name: 'list_devices', arguments: '{}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_lookup', content: '{"name":"Jane","start":"Monday"}' },
    { role: 'tool', tool_call_id: 'call_devices', content: 'none' },
  ]);
  expect((followUp.body as { tools: unknown[] }).tools[0]).toEqual({ type: 'function', function: tools[0] });
});

test('a tool call whose arguments are not JSON is kept raw, with no arguments', async () => {
  await server.script([{ kind: 'tool-calls', calls: [{ name: 'lookup_employee', arguments: '{"id": "E-10' }] }]);
  const reply = await openaiProvider.chat(target, { messages: ask('Look up E-10') });
  expect(reply.toolCalls).toEqual([
    { id: 'call_fake_0', name: 'lookup_employee', arguments: {}, rawArguments: '{"id": "E-10' },
  ]);
});

test('a tool result that answers no call is refused by the server, as OpenAI does, and classified bad-request', async () => {
  await server.script([{ kind: 'text', text: 'unused' }]);
  const messages: ChatMessage[] = [...ask('hi'), { role: 'tool', toolCallId: 'call_x', name: 'x', content: '1' }];
  const error = await failure(openaiProvider.chat(target, { messages }));
  expect(error.kind).toBe('bad-request');
  expect(error.message).toContain("messages with role 'tool' must be a response");
});

test('429 is a rate limit that carries the Retry-After wait', async () => {
  await server.script([
    {
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
    },
    {
      kind: 'error',
      status: 429,
      headers: { 'x-ratelimit-reset-requests': '1m30s' },
      body: { error: { message: 'Slow down' } },
    },
  ]);
  const first = await failure(openaiProvider.chat(target, { messages: ask('hi') }));
  expect(first).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 7000 });
  expect(first.message).toContain('fake-model');
  expect(first.message).toContain('Rate limit reached for requests');
  const second = await failure(openaiProvider.chat(target, { messages: ask('hi') }));
  expect(second).toMatchObject({ kind: 'rate-limit', retryAfterMs: 90_000 });
});

test('Retry-After as an HTTP date, and the reset headers, are read as waits', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');
  const headers = (values: Record<string, string>) => new Headers(values);
  expect(retryAfterMs(headers({ 'retry-after': 'Tue, 01 Dec 2026 08:00:30 GMT' }), now)).toBe(30_000);
  expect(retryAfterMs(headers({ 'x-ratelimit-reset-requests': '20ms' }), now)).toBe(20);
  expect(retryAfterMs(headers({ 'x-ratelimit-reset-tokens': '6m0s' }), now)).toBe(360_000);
  expect(retryAfterMs(headers({ 'anthropic-ratelimit-requests-reset': '2026-12-01T08:01:00Z' }), now)).toBe(60_000);
  expect(retryAfterMs(headers({}), now)).toBeUndefined();
});

test('a prompt over the context length is a context overflow; a 500 is a server error', async () => {
  await server.script([
    {
      kind: 'error',
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    },
    { kind: 'error', status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } },
  ]);
  expect(await failure(openaiProvider.chat(target, { messages: ask('long') }))).toMatchObject({
    kind: 'context-overflow',
    status: 400,
  });
  const server500 = await failure(openaiProvider.chat(target, { messages: ask('hi') }));
  expect(server500).toMatchObject({ kind: 'server', status: 500 });
  expect(server500.message).toContain('The server had an error');
});

test('a stream that stops before [DONE] or breaks its JSON is malformed; a dropped connection is a network error', async () => {
  await server.script([
    { kind: 'drop', text: 'Half an answ', how: 'end' },
    { kind: 'broken-json', text: 'Some text' },
    { kind: 'drop', text: 'Half an answ', how: 'reset' },
    { kind: 'stream-error', text: 'Hel', error: { message: 'The model crashed', type: 'server_error' } },
  ]);
  expect((await failure(openaiProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect((await failure(openaiProvider.chat(target, { messages: ask('hi') }))).kind).toBe('malformed');
  expect(['network', 'malformed']).toContain(
    (await failure(openaiProvider.chat(target, { messages: ask('hi') }))).kind,
  );
  const midStream = await failure(openaiProvider.chat(target, { messages: ask('hi') }));
  expect(midStream.kind).toBe('server');
  expect(midStream.message).toContain('The model crashed');
});

test('a server slower than the call timeout fails with timeout; the caller cancelling passes its own reason on', async () => {
  await server.script([{ kind: 'text', text: 'late', delayMs: 60_000 }]);
  const slow = await failure(openaiProvider.chat({ ...target, timeoutMs: 200 }, { messages: ask('hi') }));
  expect(slow.kind).toBe('timeout');

  await server.script([{ kind: 'text', text: 'A long answer that is cancelled after its first piece.' }]);
  const controller = new AbortController();
  const cancelled = await openaiProvider
    .chat(target, {
      messages: ask('hi'),
      signal: controller.signal,
      onText: () => controller.abort(new Error('the activity was cancelled')),
    })
    .catch((err: unknown) => err);
  expect(cancelled).not.toBeInstanceOf(ModelCallError);
  expect((cancelled as Error).message).toBe('the activity was cancelled');
});

test('an unreachable server is a network error', async () => {
  const error = await failure(
    openaiProvider.chat({ ...target, baseUrl: 'http://127.0.0.1:9/v1' }, { messages: ask('hi') }),
  );
  expect(error.kind).toBe('network');
  expect(error.message).toContain('http://127.0.0.1:9');
});

test('a refused key is an auth error whose message leaves out the key the server quoted', async () => {
  const wrongKey = 'sk-wrong-canary-77aa31';
  const error = await failure(openaiProvider.chat({ ...target, apiKey: wrongKey }, { messages: ask('hi') }));
  expect(error.kind).toBe('auth');
  expect(error.message).toContain('Incorrect API key provided');
  expect(error.message).not.toContain(wrongKey);
});

const SCORE_SCHEMA = { type: 'object', properties: { score: { type: 'integer' } }, required: ['score'] };

test('JSON output asks for json_schema; a server without it is asked again, and from then on, in json_object mode', async () => {
  await server.script([{ kind: 'text', text: '{"score": 4}' }]);
  const reply = await openaiProvider.chat(target, {
    messages: ask('Score the candidate.'),
    output: { kind: 'json', schema: SCORE_SCHEMA, name: 'candidate score' },
  });
  expect(reply.text).toBe('{"score": 4}');
  const [sent] = await server.requests();
  expect((sent.body as { response_format: unknown }).response_format).toEqual({
    type: 'json_schema',
    json_schema: { name: 'candidate_score', schema: SCORE_SCHEMA, strict: false },
  });

  await server.script([
    {
      kind: 'error',
      status: 400,
      body: {
        error: {
          message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
          type: 'invalid_request_error',
          param: 'response_format',
        },
      },
    },
    { kind: 'text', text: '{"score":5}' },
  ]);
  const retried = await openaiProvider.chat(target, {
    messages: [{ role: 'system', content: 'You score candidates.' }, ...ask('Score the candidate.')],
    output: { kind: 'json', schema: SCORE_SCHEMA },
  });
  expect(retried.text).toBe('{"score":5}');
  const [, second] = await server.requests();
  const body = second.body as { response_format: unknown; messages: Array<{ role: string; content: string }> };
  expect(body.response_format).toEqual({ type: 'json_object' });
  expect(body.messages[0].role).toBe('system');
  expect(body.messages[0].content).toContain('You score candidates.');
  expect(body.messages[0].content).toContain(JSON.stringify(SCORE_SCHEMA));

  await server.script([{ kind: 'text', text: '{"score":6}' }]);
  await openaiProvider.chat(target, { messages: ask('Again.'), output: { kind: 'json', schema: SCORE_SCHEMA } });
  const remembered = await server.requests();
  expect(remembered).toHaveLength(1); // the refusal is remembered: no second json_schema attempt
  expect((remembered[0].body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
});

test('probe: a server that calls tools and honours json_schema, with its context length listed', async () => {
  await server.script([
    { kind: 'tool-calls', calls: [{ name: 'get_time', arguments: '{}' }] },
    { kind: 'text', text: '{"answer":"yes"}' },
  ]);
  const capabilities = await openaiProvider.probe(target);
  expect(capabilities).toMatchObject({ toolCalling: true, json: 'schema', contextLength: 32768, vision: false });
  expect(capabilities.notes).toContain('context length 32768 from GET /models (max_model_len)');
  const sent = await server.requests();
  expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /v1/models',
    'POST /v1/chat/completions',
    'POST /v1/chat/completions',
  ]);
  expect((sent[1].body as { tools: Array<{ function: { name: string } }> }).tools[0].function.name).toBe('get_time');
});

test('probe: a server that answers tool requests with plain text and refuses json_schema', async () => {
  await server.script([
    { kind: 'text', text: 'It is about noon.' },
    {
      kind: 'error',
      status: 400,
      body: {
        error: { message: "'response_format.type' must be 'json_object' or 'text'", type: 'invalid_request_error' },
      },
    },
    { kind: 'text', text: '{"answer":"yes"}' },
  ]);
  const capabilities = await openaiProvider.probe({ ...target, model: 'other-model' });
  expect(capabilities).toMatchObject({ toolCalling: false, json: 'object', vision: false });
  expect(capabilities.contextLength).toBeUndefined();
  expect(capabilities.notes).toEqual(
    expect.arrayContaining(['tool call answered with plain text', 'json_object: the reply was a JSON object']),
  );
});

test('probe: a wrong key fails the probe instead of reporting a model without features', async () => {
  const error = await failure(openaiProvider.probe({ ...target, apiKey: 'sk-wrong-canary-probe' }));
  expect(error.kind).toBe('auth');
});
