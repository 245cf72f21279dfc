// The Chat Completions wire format (OpenAI's API reference, "Create chat completion" and "The chat completion chunk
// object"): our ChatRequest as a request body, and a streamed reply (SSE chunks ending in [DONE]) read back into a
// ModelReply. Text deltas go to `onText` as they come; tool calls arrive in fragments keyed by their index.
import type {
  ChatMessage,
  ChatRequest,
  FinishReason,
  JsonSchema,
  ModelReply,
  TokenUsage,
  ToolCall,
} from '../../../contracts/ai';
import { saysContextOverflow, serverDetail } from './errors';
import { estimatedUsage, newToolCallId, parsedArguments } from './reply';
import { serverSentEvents } from './sse';
import { ModelCallError, type ModelTarget } from './types';

export type WireMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatBody {
  model: string;
  messages: WireMessage[];
  stream: true;
  stream_options: { include_usage: true };
  tools?: Array<{ type: 'function'; function: { name: string; description: string; parameters: JsonSchema } }>;
  max_tokens?: number;
  temperature?: number;
  seed?: number;
  response_format?:
    { type: 'json_schema'; json_schema: { name: string; schema: JsonSchema; strict: false } } | { type: 'json_object' };
}

function toWire(message: ChatMessage): WireMessage {
  switch (message.role) {
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          // Sent back as the model wrote it, so a refused malformed call reads the same to the model.
          function: { name: call.name, arguments: call.rawArguments ?? JSON.stringify(call.arguments) },
        })),
      };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    default:
      return { role: message.role, content: message.content };
  }
}

/** `json_schema.name` allows letters, digits, `_` and `-`, at most 64 of them. */
function schemaName(name: string | undefined): string {
  const cleaned = (name ?? 'answer').replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned || 'answer';
}

export function chatBody(target: ModelTarget, request: ChatRequest): ChatBody {
  const body: ChatBody = {
    model: target.model,
    messages: request.messages.map(toWire),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools?.length) {
    body.tools = request.tools.map(({ name, description, parameters }) => ({
      type: 'function',
      function: { name, description, parameters },
    }));
  }
  // max_tokens rather than max_completion_tokens: vLLM, llama.cpp, LM Studio and Ollama all read it.
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.output?.kind === 'json') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaName(request.output.name), schema: request.output.schema, strict: false },
    };
  }
  return body;
}

/** The same request in JSON-object mode, for servers without json_schema: the schema is told in a system line. */
export function withJsonObjectMode(body: ChatBody, schema: JsonSchema): ChatBody {
  const line = `Answer with one JSON value that matches this JSON Schema, and nothing else: ${JSON.stringify(schema)}`;
  const [first, ...rest] = body.messages;
  const messages: WireMessage[] =
    first?.role === 'system'
      ? [{ role: 'system', content: `${first.content}\n\n${line}` }, ...rest]
      : [{ role: 'system', content: line }, ...body.messages];
  return { ...body, messages, response_format: { type: 'json_object' } };
}

interface ToolCallFragment {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface Chunk {
  model?: string;
  object?: string;
  message?: string;
  choices?: Array<{
    index?: number;
    delta?: { content?: string | null; tool_calls?: ToolCallFragment[] };
    finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  length: 'length',
  content_filter: 'content-filter',
};

/** Tool calls being assembled, by the index the fragments carry. */
class ToolCallAssembly {
  private readonly calls = new Map<number, { id?: string; name: string; args: string }>();

  add(fragment: ToolCallFragment): void {
    const index = this.indexOf(fragment);
    const call = this.calls.get(index) ?? { name: '', args: '' };
    if (fragment.id && !call.id) call.id = fragment.id;
    if (fragment.function?.name && !call.name) call.name = fragment.function.name;
    call.args += fragment.function?.arguments ?? '';
    this.calls.set(index, call);
  }

  /** Servers that leave out `index` send each call whole, or repeat its id in every fragment. */
  private indexOf(fragment: ToolCallFragment): number {
    if (typeof fragment.index === 'number') return fragment.index;
    if (fragment.id) {
      for (const [index, call] of this.calls) if (call.id === fragment.id) return index;
      return this.calls.size;
    }
    return Math.max(0, this.calls.size - 1);
  }

  finished(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id ?? newToolCallId(), name: call.name, ...parsedArguments(call.args) }));
  }
}

/** An error a server sent inside the stream (OpenAI `{error}`, vLLM `{object: "error"}`), after a 200. */
function streamedError(target: ModelTarget, server: string, chunk: Chunk): ModelCallError {
  const detail = serverDetail(chunk.error ? { error: chunk.error } : chunk) ?? 'an unexplained error';
  const message = `Model ${target.model}: ${server} reported an error mid-stream: ${detail}`;
  return new ModelCallError(saysContextOverflow(detail) ? 'context-overflow' : 'server', message);
}

function parseChunk(target: ModelTarget, server: string, data: string): Chunk {
  try {
    return JSON.parse(data) as Chunk;
  } catch {
    throw new ModelCallError(
      'malformed',
      `Model ${target.model}: ${server} streamed a chunk that is not JSON: ${data.slice(0, 120)}`,
    );
  }
}

/** Reads a streamed completion to its [DONE]; a stream that stops before it, or breaks its JSON, is malformed. */
export async function readCompletion(
  target: ModelTarget,
  server: string,
  request: ChatRequest,
  body: ReadableStream<Uint8Array>,
): Promise<ModelReply> {
  let text = '';
  let model = target.model;
  let finish: string | null = null;
  let usage: TokenUsage | undefined;
  let done = false;
  const calls = new ToolCallAssembly();
  for await (const event of serverSentEvents(body)) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = parseChunk(target, server, event.data);
    if (chunk.error || chunk.object === 'error') throw streamedError(target, server, chunk);
    if (chunk.model) model = chunk.model;
    if (chunk.usage) {
      usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    }
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) continue;
    const delta = choice.delta?.content;
    if (delta) {
      text += delta;
      request.onText?.(delta);
    }
    for (const fragment of choice.delta?.tool_calls ?? []) calls.add(fragment);
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  if (!done) {
    throw new ModelCallError('malformed', `Model ${target.model}: ${server} ended the reply stream before [DONE]`);
  }
  const toolCalls = calls.finished();
  // Some servers finish a tool-calling turn with "stop"; a reply without finish_reason ended normally at [DONE].
  const finishReason: FinishReason =
    toolCalls.length > 0 && (finish === null || finish === 'stop')
      ? 'tool-calls'
      : finish === null
        ? 'stop'
        : (FINISH[finish] ?? 'other');
  return { text, toolCalls, usage: usage ?? estimatedUsage(request, text, toolCalls), finishReason, model };
}
