// Tools for models without native tool calling (most local models, and servers that answer tool requests with plain
// text). The tools are described in a system section and the model answers with one JSON envelope per reply,
// {"tool": name, "arguments": {...}} or {"final": answer}: held to that shape by a grammar or JSON schema where the
// model supports one, asked for in JSON mode where it only has that, and written as a ReAct text form (Action /
// Action Input / Final Answer), parsed leniently, where it has neither. Earlier calls and results go back into the
// transcript in the same form, so the model keeps seeing its own protocol.
import type {
  ChatMessage,
  ChatRequest,
  JsonSchema,
  ModelCapabilities,
  ModelReply,
  ToolCall,
  ToolDefinition,
} from '../../contracts/ai';
import type { ModelProvider, ModelTarget } from './providers/types';

type Output = ChatRequest['output'];
type Parsed = { call: Omit<ToolCall, 'id'>; text: string } | { call?: undefined; text: string };

const HOW_OFFERED: Record<ModelCapabilities['json'], string> = {
  grammar: 'a JSON grammar',
  schema: 'a JSON schema (structured output)',
  object: 'JSON mode and a described envelope',
  none: 'a ReAct text protocol (Action / Action Input), parsed leniently',
};

/** The one line the UI shows beside an agent whose model has no native tool calling; undefined when it has. */
export function protocolNote(capabilities: ModelCapabilities): string | undefined {
  if (capabilities.toolCalling) return undefined;
  return `This model has no native tool calling: tools are offered through ${HOW_OFFERED[capabilities.json]}`;
}

/** `provider` as one that takes tools: unchanged for native tool calling, through the envelope protocol otherwise. */
export function withToolProtocol(provider: ModelProvider, capabilities: ModelCapabilities): ModelProvider {
  if (capabilities.toolCalling) return provider;
  return {
    probe: (target) => provider.probe(target),
    chat: (target, request) =>
      request.tools?.length
        ? chatThroughProtocol(provider, capabilities.json, target, { ...request, tools: request.tools })
        : provider.chat(target, request),
  };
}

async function chatThroughProtocol(
  provider: ModelProvider,
  json: ModelCapabilities['json'],
  target: ModelTarget,
  request: ChatRequest & { tools: ToolDefinition[] },
): Promise<ModelReply> {
  const react = json === 'none';
  const { tools, onText, ...rest } = request;
  const messages = protocolTranscript(
    request.messages,
    systemSection(tools, request.output, react),
    react,
    request.output,
  );
  // No streaming of the envelope itself: `{"tool": …` is not text for the reader. A final answer is sent once.
  const reply = await provider.chat(target, { ...rest, messages, output: protocolOutput(json, tools, request.output) });
  const parsed = react ? parseReact(reply.text, tools) : parseEnvelope(reply.text, tools, request.output);
  if (!parsed.call) {
    if (parsed.text) onText?.(parsed.text);
    return { ...reply, text: parsed.text, toolCalls: [] };
  }
  const id = `call_${1 + request.messages.reduce((n, m) => n + (m.role === 'assistant' ? (m.toolCalls?.length ?? 0) : 0), 0)}`;
  return { ...reply, text: parsed.text, toolCalls: [{ id, ...parsed.call }], finishReason: 'tool-calls' };
}

/** What the model is held to: the envelope's schema (grammar, schema), any JSON object (JSON mode), or free text. */
function protocolOutput(json: ModelCapabilities['json'], tools: ToolDefinition[], output: Output): Output {
  if (json === 'grammar' || json === 'schema')
    return { kind: 'json', schema: envelopeSchema(tools, output), name: 'tool_envelope' };
  if (json === 'object') return { kind: 'json', schema: { type: 'object' }, name: 'tool_envelope' };
  return { kind: 'text' };
}

/** One of: a call of one of `tools` with arguments matching its schema, or the final answer. */
export function envelopeSchema(tools: ToolDefinition[], output: Output): JsonSchema {
  const defs: JsonSchema = {};
  const hoist = (schema: JsonSchema): JsonSchema => {
    // Tool schemas' own $defs/definitions move to the root, where their "#/$defs/…" references point.
    const { $defs, definitions, ...rest } = schema;
    for (const [key, value] of [
      ['$defs', $defs],
      ['definitions', definitions],
    ] as const) {
      if (value && typeof value === 'object') defs[key] = { ...(defs[key] as JsonSchema | undefined), ...value };
    }
    return rest;
  };
  const object = (properties: JsonSchema) => ({
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });
  const oneOf = [
    ...tools.map((tool) => object({ tool: { const: tool.name }, arguments: hoist(tool.parameters) })),
    object({ final: hoist(finalSchema(output)) }),
  ];
  return { oneOf, ...defs };
}

function finalSchema(output: Output): JsonSchema {
  return output?.kind === 'json' ? output.schema : { type: 'string' };
}

function systemSection(tools: ToolDefinition[], output: Output, react: boolean): string {
  const answer =
    output?.kind === 'json'
      ? `Your answer is a JSON value matching this schema: ${JSON.stringify(output.schema)}`
      : 'Your answer is a string.';
  const list = tools.map(
    (tool) => `- ${tool.name}: ${tool.description}\n  arguments schema: ${JSON.stringify(tool.parameters)}`,
  );
  const how = react
    ? [
        'You can call tools. To call one, reply with exactly these two lines and then stop:',
        'Action: <tool name>',
        "Action Input: <the tool's arguments as one JSON object>",
        'The result comes back as "Observation: …". When you have the answer, reply:',
        'Final Answer: <your answer>',
      ]
    : [
        'You can call tools. Reply with exactly one JSON object and nothing else, in one of these forms:',
        '{"tool": "<tool name>", "arguments": {<the tool\'s arguments>}}',
        '{"final": <your answer>}',
        'Call one tool per reply. Each result comes back in a message that starts with "Tool result".',
      ];
  return [...how, answer, '', 'Tools:', ...list].join('\n');
}

/** The request's messages with the protocol section in the system prompt and earlier calls, results and answers
 *  written as protocol text (tool results as user messages: without native tools there is no tool role). */
function protocolTranscript(messages: ChatMessage[], section: string, react: boolean, output: Output): ChatMessage[] {
  const out: ChatMessage[] = [];
  const push = (message: ChatMessage) => {
    const last = out[out.length - 1];
    if (message.role === 'user' && last?.role === 'user') last.content = `${last.content}\n\n${message.content}`;
    else out.push({ ...message });
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      const label = message.isError ? `${message.name} failed` : message.name;
      push({
        role: 'user',
        content: react ? `Observation (${label}): ${message.content}` : `Tool result (${label}):\n${message.content}`,
      });
    } else if (message.role === 'assistant') {
      const calls = (message.toolCalls ?? []).map((call) => renderCall(call, react));
      const content = calls.length
        ? [message.content, ...calls].filter(Boolean).join('\n')
        : renderFinal(message.content, react, output);
      push({ role: 'assistant', content });
    } else push(message);
  }
  const system = out.findIndex((m) => m.role === 'system');
  if (system === -1) return [{ role: 'system', content: section }, ...out];
  out[system] = { role: 'system', content: `${out[system].content}\n\n${section}` };
  return out;
}

function renderCall(call: ToolCall, react: boolean): string {
  const args = call.rawArguments ?? JSON.stringify(call.arguments);
  return react
    ? `Action: ${call.name}\nAction Input: ${args}`
    : `{"tool": ${JSON.stringify(call.name)}, "arguments": ${args}}`;
}

function renderFinal(content: string, react: boolean, output: Output): string {
  if (react) return `Final Answer: ${content}`;
  const value = output?.kind === 'json' ? (parseJson(content) ?? content) : content;
  return JSON.stringify({ final: value });
}

/** A JSON-mode reply: an envelope, or a known tool named in broken JSON (a call with rawArguments), or plain text. */
function parseEnvelope(text: string, tools: ToolDefinition[], output: Output): Parsed {
  const envelope = parseObject(text);
  if (envelope && typeof envelope.tool === 'string') {
    const tool = tools.find((t) => t.name === envelope.tool);
    return tool ? { call: callWith(tool.name, envelope.arguments), text: '' } : { text };
  }
  if (envelope && 'final' in envelope) return { text: finalText(envelope.final, output) };
  const named = /"tool"\s*:\s*"([^"]*)"/.exec(text);
  const tool = named && tools.find((t) => t.name === named[1]);
  if (!tool) return { text };
  const rawArguments = /"arguments"\s*:\s*([\s\S]*)$/.exec(text)?.[1].trim() || text;
  return { call: { name: tool.name, arguments: {}, rawArguments }, text: '' };
}

function finalText(value: unknown, output: Output): string {
  if (output?.kind !== 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  // A model may put its JSON answer inside a string: use the JSON it meant.
  if (typeof value === 'string' && parseObject(value)) return value.trim();
  return JSON.stringify(value);
}

const REACT_LABEL =
  /^\s*[*_]{0,2}(thought|action input|action|observation|final answer)[*_]{0,2}\s*:[*_]{0,2}\s*(.*)$/i;

/** A ReAct reply: the first Action (with its Action Input) unless a Final Answer comes first; else the text. */
function parseReact(text: string, tools: ToolDefinition[]): Parsed {
  const sections: Array<{ label: string; body: string }> = [{ label: 'preamble', body: '' }];
  for (const line of text.split('\n')) {
    const match = REACT_LABEL.exec(line);
    if (match) sections.push({ label: match[1].toLowerCase(), body: match[2] });
    else sections[sections.length - 1].body += `\n${line}`;
  }
  const action = sections.findIndex((s) => s.label === 'action');
  const final = sections.findIndex((s) => s.label === 'final answer');
  if (action !== -1 && (final === -1 || action < final)) {
    const name = sections[action].body.replace(/\(.*$/, '').replace(/^[\s*`'"]+|[\s*`'".:]+$/g, '');
    const tool = tools.find((t) => t.name === name) ?? tools.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (tool) {
      const input = sections.slice(action + 1).find((s) => s.label === 'action input');
      const thought = sections
        .slice(0, action)
        .map((s) => s.body.trim())
        .filter(Boolean)
        .join('\n');
      return { call: callWith(tool.name, input ? stripFence(input.body) || undefined : undefined), text: thought };
    }
  }
  if (final !== -1) return { text: stripFence(sections[final].body) };
  return { text: text.trim() };
}

/** A call's arguments: an object as is, JSON text parsed, anything else kept as rawArguments (answered with an error). */
function callWith(name: string, args: unknown): Omit<ToolCall, 'id'> {
  if (args === undefined) return { name, arguments: {} };
  if (isObject(args)) return { name, arguments: args };
  if (typeof args === 'string') {
    const parsed = parseObject(args);
    return parsed ? { name, arguments: parsed } : { name, arguments: {}, rawArguments: args };
  }
  return { name, arguments: {}, rawArguments: JSON.stringify(args) };
}

/** A JSON object from model text: as is, inside a code fence, or between its first `{` and last `}`. */
function parseObject(text: string): Record<string, unknown> | undefined {
  const clean = stripFence(text);
  for (const candidate of [clean, clean.slice(clean.indexOf('{'), clean.lastIndexOf('}') + 1)]) {
    const value = parseJson(candidate);
    if (isObject(value)) return value;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stripFence(text: string): string {
  return text
    .trim()
    .replace(/^```[a-z]*\s*\n?/i, '')
    .replace(/\n?```$/, '')
    .trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
