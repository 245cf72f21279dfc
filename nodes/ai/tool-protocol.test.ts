// The tool protocol for models without native tool calling. A small scripted provider stands in for the model here
// because what is under test is the transform: what the protocol sends (system section, envelope schema, the
// transcript rewritten as protocol text) and how it reads replies back (envelopes, broken JSON, ReAct text). One
// case runs the real tiny GGUF model under the envelope grammar.
import type { ChatRequest, ModelCapabilities, ModelReply, ToolDefinition } from '../../contracts/ai';
import { unloadLocalModels } from './providers/llama-pool';
import { llamaProvider } from './providers/llama';
import { ensureTinyModel } from './providers/tiny-gguf';
import type { ModelProvider, ModelTarget } from './providers/types';
import { envelopeSchema, protocolNote, withToolProtocol } from './tool-protocol';

const target: ModelTarget = { provider: 'openai-compatible', model: 'scripted', timeoutMs: 10_000 };
const LOOKUP: ToolDefinition = {
  name: 'lookup',
  description: 'Find an employee by id.',
  parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
};
const NOTIFY: ToolDefinition = {
  name: 'notify',
  description: 'Send a note.',
  parameters: { type: 'object', properties: { text: { type: 'string' } } },
};

const capabilities = (json: ModelCapabilities['json'], toolCalling = false): ModelCapabilities => ({
  toolCalling,
  json,
  vision: false,
  notes: [],
});

/** A model that answers with the given texts in turn and keeps every request it was sent. */
function scripted(...replies: string[]) {
  const requests: ChatRequest[] = [];
  const provider: ModelProvider = {
    chat: async (_target, request): Promise<ModelReply> => {
      requests.push(request);
      const text = replies.shift() ?? '';
      request.onText?.(text);
      return { text, toolCalls: [], usage: { inputTokens: 11, outputTokens: 7 }, finishReason: 'stop', model: 'm' };
    },
    probe: async () => capabilities('grammar'),
  };
  return { provider, requests };
}

const withTools = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You help HR.' },
    { role: 'user', content: 'Who is employee 4?' },
  ],
  tools: [LOOKUP, NOTIFY],
  ...extra,
});

test('models with native tool calling, and requests without tools, pass through untouched', async () => {
  const native = scripted('x');
  expect(withToolProtocol(native.provider, capabilities('schema', true))).toBe(native.provider);

  const plain = scripted('hello');
  const request: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
  const reply = await withToolProtocol(plain.provider, capabilities('grammar')).chat(target, request);
  expect(plain.requests[0]).toBe(request);
  expect(reply.text).toBe('hello');
});

test('with a grammar, the tools are described and the envelope schema is sent as the output', async () => {
  const model = scripted('{"tool": "lookup", "arguments": {"id": 4}}');
  const reply = await withToolProtocol(model.provider, capabilities('grammar')).chat(target, withTools());
  const sent = model.requests[0];
  expect(sent.tools).toBeUndefined();
  expect(sent.output).toEqual({
    kind: 'json',
    schema: envelopeSchema([LOOKUP, NOTIFY], undefined),
    name: 'tool_envelope',
  });
  expect(sent.messages).toHaveLength(2);
  expect(sent.messages[0]).toMatchObject({ role: 'system', content: expect.stringMatching(/^You help HR\.\n\n/) });
  expect(sent.messages[0].content).toContain('- lookup: Find an employee by id.');
  expect(sent.messages[0].content).toContain(JSON.stringify(LOOKUP.parameters));
  expect(reply).toMatchObject({
    text: '',
    toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 4 } }],
    finishReason: 'tool-calls',
    usage: { inputTokens: 11, outputTokens: 7 },
  });
  expect(reply.toolCalls[0].rawArguments).toBeUndefined();
});

test('the envelope schema is one of each tool by name with its arguments, or the final answer', () => {
  const answer = { type: 'object', properties: { ok: { type: 'boolean' } } };
  const schema = envelopeSchema([LOOKUP], { kind: 'json', schema: answer });
  expect(schema.oneOf).toEqual([
    {
      type: 'object',
      properties: { tool: { const: 'lookup' }, arguments: LOOKUP.parameters },
      required: ['tool', 'arguments'],
      additionalProperties: false,
    },
    { type: 'object', properties: { final: answer }, required: ['final'], additionalProperties: false },
  ]);
});

test('earlier calls and results are rewritten as protocol text, and call ids continue', async () => {
  const model = scripted('{"tool": "notify", "arguments": "{\\"text\\": \\"hi\\"}"}');
  const request = withTools({
    messages: [
      { role: 'user', content: 'Onboard Jane.' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_1', name: 'lookup', arguments: { id: 4 } },
          { id: 'call_2', name: 'lookup', arguments: {}, rawArguments: '{"id": ' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: '{"name":"Jane"}' },
      { role: 'tool', toolCallId: 'call_2', name: 'lookup', content: 'arguments were not JSON', isError: true },
    ],
  });
  const reply = await withToolProtocol(model.provider, capabilities('schema')).chat(target, request);
  const sent = model.requests[0].messages;
  expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  expect(sent[2].content).toBe('{"tool": "lookup", "arguments": {"id":4}}\n{"tool": "lookup", "arguments": {"id": }');
  expect(sent[3].content).toBe(
    'Tool result (lookup):\n{"name":"Jane"}\n\nTool result (lookup failed):\narguments were not JSON',
  );
  expect(reply.toolCalls).toEqual([{ id: 'call_3', name: 'notify', arguments: { text: 'hi' } }]);
});

test('a final answer becomes the text, sent once to onText, and JSON answers come back as JSON text', async () => {
  const model = scripted('{"final": "Jane Doe"}', '```json\n{"final": {"name": "Jane", "start": "Monday"}}\n```');
  const provider = withToolProtocol(model.provider, capabilities('grammar'));
  const streamed: string[] = [];
  const text = await provider.chat(target, withTools({ onText: (d) => streamed.push(d) }));
  expect(text).toMatchObject({ text: 'Jane Doe', toolCalls: [], finishReason: 'stop' });
  expect(streamed).toEqual(['Jane Doe']);

  const schema = { type: 'object', properties: { name: { type: 'string' }, start: { type: 'string' } } };
  const json = await provider.chat(target, withTools({ output: { kind: 'json', schema } }));
  expect(JSON.parse(json.text)).toEqual({ name: 'Jane', start: 'Monday' });
  expect(model.requests[1].messages[0].content).toContain(`matching this schema: ${JSON.stringify(schema)}`);
});

test('broken envelopes: a known tool keeps its raw arguments, anything else is plain text', async () => {
  const model = scripted(
    '{"tool": "lookup", "arguments": {"id": 4',
    '{"tool": "fire_everyone", "arguments": {}}',
    'I think employee 4 is Jane.',
    '{"tool": "lookup", "arguments": [4]}',
  );
  const provider = withToolProtocol(model.provider, capabilities('grammar'));
  const truncated = await provider.chat(target, withTools());
  expect(truncated.toolCalls).toEqual([{ id: 'call_1', name: 'lookup', arguments: {}, rawArguments: '{"id": 4' }]);
  const unknown = await provider.chat(target, withTools());
  expect(unknown).toMatchObject({ text: '{"tool": "fire_everyone", "arguments": {}}', toolCalls: [] });
  const prose = await provider.chat(target, withTools());
  expect(prose).toMatchObject({ text: 'I think employee 4 is Jane.', toolCalls: [] });
  const notAnObject = await provider.chat(target, withTools());
  expect(notAnObject.toolCalls[0]).toMatchObject({ name: 'lookup', arguments: {}, rawArguments: '[4]' });
});

test('JSON mode asks for any object and reads the same envelopes', async () => {
  const model = scripted('{"tool":"lookup","arguments":{"id":9}}');
  const reply = await withToolProtocol(model.provider, capabilities('object')).chat(target, withTools());
  expect(model.requests[0].output).toEqual({ kind: 'json', schema: { type: 'object' }, name: 'tool_envelope' });
  expect(reply.toolCalls).toEqual([{ id: 'call_1', name: 'lookup', arguments: { id: 9 } }]);
});

test('without JSON support the ReAct form is asked for and read leniently', async () => {
  const model = scripted(
    'Thought: I need the record.\n**Action:** `lookup`\nAction Input: ```json\n{"id": 4}\n```\nObservation: made up',
    'Action: notify\nAction Input: say hi to Jane',
    'Final Answer: Jane Doe starts Monday.\nObservation: ignored',
    'Jane, probably.',
  );
  const provider = withToolProtocol(model.provider, capabilities('none'));
  const call = await provider.chat(target, withTools());
  expect(model.requests[0].output).toEqual({ kind: 'text' });
  expect(model.requests[0].messages[0].content).toContain('Action Input: <the tool');
  expect(call).toMatchObject({
    text: 'I need the record.',
    toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 4 } }],
    finishReason: 'tool-calls',
  });
  const unparsed = await provider.chat(target, withTools());
  expect(unparsed.toolCalls[0]).toMatchObject({ name: 'notify', arguments: {}, rawArguments: 'say hi to Jane' });
  expect(await provider.chat(target, withTools())).toMatchObject({ text: 'Jane Doe starts Monday.', toolCalls: [] });
  expect(await provider.chat(target, withTools())).toMatchObject({ text: 'Jane, probably.', toolCalls: [] });

  const history = scripted('Final Answer: done');
  await withToolProtocol(history.provider, capabilities('none')).chat(
    target,
    withTools({
      messages: [
        { role: 'user', content: 'Go.' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 4 } }] },
        { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: 'Jane' },
      ],
    }),
  );
  const sent = history.requests[0].messages;
  expect(sent[0].role).toBe('system');
  expect(sent.slice(1)).toEqual([
    { role: 'user', content: 'Go.' },
    { role: 'assistant', content: 'Action: lookup\nAction Input: {"id":4}' },
    { role: 'user', content: 'Observation (lookup): Jane' },
  ]);
});

test('protocolNote says how tools are offered, and nothing for native tool calling', () => {
  expect(protocolNote(capabilities('grammar'))).toBe(
    'This model has no native tool calling: tools are offered through a JSON grammar',
  );
  expect(protocolNote(capabilities('none'))).toMatch(/ReAct/);
  expect(protocolNote(capabilities('schema', true))).toBeUndefined();
});

describe('on the real tiny GGUF model', () => {
  afterAll(() => unloadLocalModels());

  test('the grammar-held reply is an envelope naming a real tool or the final answer', async () => {
    const tools: ToolDefinition[] = [
      { name: 'now', description: 'The time.', parameters: { type: 'object', properties: {} } },
      {
        name: 'pick',
        description: 'Pick a side.',
        parameters: { type: 'object', properties: { side: { enum: ['l', 'r'] } } },
      },
    ];
    const local: ModelTarget = { provider: 'local-gguf', model: await ensureTinyModel(), timeoutMs: 170_000 };
    const answers = [{ kind: 'json', schema: { enum: ['yes', 'no'] } } as const, undefined];
    for (const output of answers) {
      const reply = await llamaProvider.chat(local, {
        messages: [{ role: 'user', content: 'Pick.' }],
        tools,
        output,
        maxTokens: 48,
      });
      expect(reply.finishReason).not.toBe('length');
      if (reply.toolCalls.length > 0) {
        const [call] = reply.toolCalls;
        expect(call.rawArguments).toBeUndefined();
        if (call.name === 'pick') expect(['l', 'r']).toContain(call.arguments.side);
        else expect(call).toMatchObject({ name: 'now', arguments: {} });
      } else if (output) {
        expect(['yes', 'no']).toContain(JSON.parse(reply.text));
      } else {
        expect(typeof reply.text).toBe('string');
      }
    }
  }, 180_000);
});
