// Ollama's native API (docs/api.md in ollama/ollama): `POST /api/chat` streamed as newline-delimited JSON, tools in
// OpenAI's function shape, `format: <schema>` for structured output, `options.num_ctx` for the context size. Unlike
// its /v1 endpoint, it reports token counts and lets us set the context window. The probe reads `POST /api/show`.
import type {
  ChatMessage,
  ChatRequest,
  FinishReason,
  ModelCapabilities,
  ModelReply,
  ToolCall,
} from '../../../contracts/ai';
import { joinUrl } from '../../credentials/replies';
import {
  callFailure,
  callSignals,
  saysContextOverflow,
  serverDetail,
  serverName,
  statusError,
  withoutKey,
  type CallSignals,
} from './errors';
import { estimatedUsage, newToolCallId, parsedArguments } from './reply';
import { textLines } from './sse';
import { ModelCallError, type ModelProvider, type ModelTarget } from './types';

export const OLLAMA_URL = 'http://127.0.0.1:11434';

type OllamaMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: Array<{ function: { name: string; arguments: unknown } }> }
  | { role: 'tool'; content: string; tool_name: string };

function toOllama(message: ChatMessage): OllamaMessage {
  switch (message.role) {
    case 'assistant':
      return message.toolCalls?.length
        ? {
            role: 'assistant',
            content: message.content,
            tool_calls: message.toolCalls.map((call) => ({
              // Ollama takes arguments as an object only: a malformed call goes back with none.
              function: { name: call.name, arguments: call.arguments },
            })),
          }
        : { role: 'assistant', content: message.content };
    case 'tool':
      return { role: 'tool', content: message.content, tool_name: message.name };
    default:
      return { role: message.role, content: message.content };
  }
}

export function chatBody(target: ModelTarget, request: ChatRequest): Record<string, unknown> {
  const options: Record<string, number> = {};
  if (target.contextLength) options.num_ctx = target.contextLength;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.seed !== undefined) options.seed = request.seed;
  return {
    model: target.model,
    messages: request.messages.map(toOllama),
    stream: true,
    ...(request.tools?.length
      ? {
          tools: request.tools.map(({ name, description, parameters }) => ({
            type: 'function',
            function: { name, description, parameters },
          })),
        }
      : {}),
    ...(request.output?.kind === 'json' ? { format: request.output.schema } : {}),
    ...(Object.keys(options).length ? { options } : {}),
  };
}

interface ChatLine {
  model?: string;
  message?: {
    content?: string;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: unknown } }>;
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

function baseUrlOf(target: ModelTarget): string {
  return target.baseUrl || OLLAMA_URL;
}

async function post(target: ModelTarget, path: string, body: unknown, signals: CallSignals): Promise<Response> {
  const server = serverName(baseUrlOf(target));
  try {
    const response = await fetch(joinUrl(baseUrlOf(target), path), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: signals.signal,
    });
    if (response.ok) return response;
    const detail = serverDetail(await response.text());
    throw statusError(target, server, response.status, detail, response.headers);
  } catch (err) {
    throw withoutKey(callFailure(err, target, signals, server), target.apiKey);
  }
}

function toolCallOf(call: NonNullable<NonNullable<ChatLine['message']>['tool_calls']>[number]): ToolCall {
  const args = call.function?.arguments;
  // Ollama sends arguments as an object; a string is what a model wrote that Ollama could not parse.
  const parsed = typeof args === 'string' ? parsedArguments(args) : parsedArguments(JSON.stringify(args ?? {}));
  return { id: call.id || newToolCallId(), name: call.function?.name ?? '', ...parsed };
}

/** Reads the NDJSON stream to its `done` line; one that ends before it is malformed. */
async function readChat(
  target: ModelTarget,
  request: ChatRequest,
  body: ReadableStream<Uint8Array>,
): Promise<ModelReply> {
  const server = serverName(baseUrlOf(target));
  let text = '';
  let model = target.model;
  const toolCalls: ToolCall[] = [];
  for await (const line of textLines(body)) {
    if (!line.trim()) continue;
    let parsed: ChatLine;
    try {
      parsed = JSON.parse(line) as ChatLine;
    } catch {
      throw new ModelCallError('malformed', `Model ${target.model}: ${server} streamed a line that is not JSON`);
    }
    if (parsed.error !== undefined) {
      const detail = serverDetail(parsed) ?? 'an unexplained error';
      const kind = saysContextOverflow(detail) ? 'context-overflow' : 'server';
      throw new ModelCallError(kind, `Model ${target.model}: ${server} reported an error mid-stream: ${detail}`);
    }
    if (parsed.model) model = parsed.model;
    const delta = parsed.message?.content;
    if (delta) {
      text += delta;
      request.onText?.(delta);
    }
    for (const call of parsed.message?.tool_calls ?? []) toolCalls.push(toolCallOf(call));
    if (parsed.done) {
      const usage =
        parsed.prompt_eval_count === undefined && parsed.eval_count === undefined
          ? estimatedUsage(request, text, toolCalls)
          : { inputTokens: parsed.prompt_eval_count ?? 0, outputTokens: parsed.eval_count ?? 0 };
      const finishReason: FinishReason =
        toolCalls.length > 0 ? 'tool-calls' : parsed.done_reason === 'length' ? 'length' : 'stop';
      return { text, toolCalls, usage, finishReason, model };
    }
  }
  throw new ModelCallError('malformed', `Model ${target.model}: ${server} ended the reply stream before "done"`);
}

async function chat(target: ModelTarget, request: ChatRequest): Promise<ModelReply> {
  const signals = callSignals(target, request.signal);
  const response = await post(target, '/api/chat', chatBody(target, request), signals);
  try {
    if (!response.body) throw new ModelCallError('malformed', `Model ${target.model}: Ollama sent an empty reply`);
    return await readChat(target, request, response.body);
  } catch (err) {
    throw withoutKey(callFailure(err, target, signals, serverName(baseUrlOf(target))), target.apiKey);
  }
}

interface ShowReply {
  model_info?: Record<string, unknown>;
  capabilities?: unknown;
}

/** A tool call asked for and checked, for Ollama versions whose /api/show lists no capabilities. */
async function answersToolCall(target: ModelTarget, notes: string[]): Promise<boolean> {
  try {
    const reply = await chat(target, {
      messages: [{ role: 'user', content: 'What time is it? Call the get_time tool to find out.' }],
      tools: [
        { name: 'get_time', description: 'Returns the current time.', parameters: { type: 'object', properties: {} } },
      ],
      maxTokens: 200,
      temperature: 0,
    });
    const called = reply.toolCalls.some((call) => call.name === 'get_time');
    notes.push(called ? 'tool calling: the model called get_time' : 'tool call answered with plain text');
    return called;
  } catch (err) {
    if (!(err instanceof ModelCallError) || (err.kind !== 'bad-request' && err.kind !== 'server')) throw err;
    notes.push(`tool calling refused: ${err.message}`);
    return false;
  }
}

async function probe(target: ModelTarget): Promise<ModelCapabilities> {
  const notes: string[] = ['JSON output: Ollama constrains replies to the schema given as `format`'];
  const signals = callSignals(target);
  const response = await post(target, '/api/show', { model: target.model }, signals);
  let show: ShowReply;
  try {
    show = (await response.json()) as ShowReply;
  } catch (err) {
    throw withoutKey(callFailure(err, target, signals, serverName(baseUrlOf(target))), target.apiKey);
  }
  const key = Object.keys(show.model_info ?? {}).find((name) => name.endsWith('.context_length'));
  const length = key ? show.model_info?.[key] : undefined;
  const contextLength = typeof length === 'number' && length > 0 ? length : undefined;
  notes.push(contextLength ? `context length ${contextLength} from /api/show (${key})` : 'context length unknown');
  const capabilities = Array.isArray(show.capabilities) ? show.capabilities : undefined;
  let toolCalling: boolean;
  let vision = false;
  if (capabilities) {
    toolCalling = capabilities.includes('tools');
    vision = capabilities.includes('vision');
    notes.push(`capabilities from /api/show: ${capabilities.join(', ') || 'none'}`);
  } else {
    notes.push('/api/show lists no capabilities (Ollama before 0.6): tool calling tested, vision assumed absent');
    toolCalling = await answersToolCall(target, notes);
  }
  return { toolCalling, json: 'schema', ...(contextLength === undefined ? {} : { contextLength }), vision, notes };
}

export const ollamaProvider: ModelProvider = { chat, probe };
