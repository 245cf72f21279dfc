// OpenAI-compatible Chat Completions over plain fetch, as OpenAI, vLLM, llama.cpp's server, LM Studio and Ollama's /v1
// speak it (`POST {baseUrl}/chat/completions`). Replies are always streamed. The probe asks the model two tiny
// questions (a tool call, a structured answer) and reads the server's model list for the context length.
import type { ChatRequest, JsonSupport, ModelCapabilities, ModelReply, ToolDefinition } from '../../../contracts/ai';
import { joinUrl } from '../../credentials/replies';
import {
  callFailure,
  callSignals,
  serverDetail,
  serverName,
  statusError,
  withoutKey,
  type CallSignals,
} from './errors';
import { chatBody, readCompletion, withJsonObjectMode, type ChatBody } from './openai-wire';
import { isJsonObject } from './reply';
import { ModelCallError, type ModelProvider, type ModelTarget } from './types';

function baseUrlOf(target: ModelTarget): string {
  if (!target.baseUrl) {
    throw new ModelCallError('bad-request', `Model ${target.model}: its OpenAI-compatible credential has no base URL`);
  }
  return target.baseUrl;
}

function headers(target: ModelTarget, accept: string): Record<string, string> {
  return {
    accept,
    'content-type': 'application/json',
    ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
  };
}

/** A request to the server; a status other than 2xx is read and thrown as a classified error. */
async function send(
  target: ModelTarget,
  path: string,
  signals: CallSignals,
  body?: ChatBody | Record<string, unknown>,
): Promise<Response> {
  const server = serverName(baseUrlOf(target));
  try {
    const response = await fetch(joinUrl(baseUrlOf(target), path), {
      method: body ? 'POST' : 'GET',
      headers: headers(target, body ? 'text/event-stream' : 'application/json'),
      body: body ? JSON.stringify(body) : undefined,
      signal: signals.signal,
    });
    if (response.ok) return response;
    const detail = serverDetail(await response.text());
    throw statusError(target, server, response.status, detail, response.headers);
  } catch (err) {
    throw withoutKey(callFailure(err, target, signals, server), target.apiKey);
  }
}

/** One streamed completion of `body`. */
async function complete(target: ModelTarget, request: ChatRequest, body: ChatBody): Promise<ModelReply> {
  const signals = callSignals(target, request.signal);
  const response = await send(target, '/chat/completions', signals, body);
  const server = serverName(baseUrlOf(target));
  try {
    if (!response.body) throw new ModelCallError('malformed', `Model ${target.model}: ${server} sent an empty reply`);
    return await readCompletion(target, server, request, response.body);
  } catch (err) {
    throw withoutKey(callFailure(err, target, signals, server), target.apiKey);
  }
}

/** A 400 that names response_format: the server has no json_schema mode (llama.cpp before b4000, some gateways). */
function refusedJsonSchema(err: unknown): boolean {
  return err instanceof ModelCallError && err.status === 400 && /response_format|json_schema/i.test(err.message);
}

/** Servers (base URL and model) that refused json_schema once: later JSON requests go straight to json_object. */
const withoutJsonSchema = new Set<string>();

async function chat(target: ModelTarget, request: ChatRequest): Promise<ModelReply> {
  const body = chatBody(target, request);
  if (request.output?.kind !== 'json') return complete(target, request, body);
  const server = `${target.baseUrl} ${target.model}`;
  const asObject = withJsonObjectMode(body, request.output.schema);
  if (withoutJsonSchema.has(server)) return complete(target, request, asObject);
  try {
    return await complete(target, request, body);
  } catch (err) {
    if (!refusedJsonSchema(err)) throw err;
    withoutJsonSchema.add(server);
    return complete(target, request, asObject);
  }
}

/** Enough for a tool call or a one-field JSON object, and cheap. */
const PROBE_TOKENS = 200;

const GET_TIME: ToolDefinition = {
  name: 'get_time',
  description: 'Returns the current time.',
  parameters: { type: 'object', properties: {}, required: [] },
};

/** Refusals that mean "not supported here"; auth, network, timeouts and rate limits are real failures of the probe. */
function unsupported(err: unknown): err is ModelCallError {
  return (
    err instanceof ModelCallError && (err.kind === 'bad-request' || err.kind === 'server' || err.kind === 'malformed')
  );
}

/** Context length from GET /models, under the names servers use for it (vLLM's max_model_len first). */
async function listedContextLength(target: ModelTarget, notes: string[]): Promise<number | undefined> {
  let listing: unknown;
  try {
    const response = await send(target, '/models', callSignals(target));
    listing = await response.json();
  } catch (err) {
    if (!unsupported(err) && !(err instanceof SyntaxError)) throw err;
    notes.push(`GET /models did not list models (${(err as Error).message}); context length unknown`);
    return undefined;
  }
  const data = (listing as { data?: unknown } | null)?.data;
  const entry = Array.isArray(data)
    ? (data.find((m) => (m as { id?: unknown } | null)?.id === target.model) as Record<string, unknown> | undefined)
    : undefined;
  if (!entry) {
    notes.push(`GET /models does not list ${target.model}; context length unknown`);
    return undefined;
  }
  for (const key of ['max_model_len', 'context_length', 'max_context_length', 'context_window']) {
    const value = entry[key];
    if (typeof value === 'number' && value > 0) {
      notes.push(`context length ${value} from GET /models (${key})`);
      return value;
    }
  }
  notes.push(`GET /models does not give ${target.model}'s context length`);
  return undefined;
}

async function probeToolCalling(target: ModelTarget, notes: string[]): Promise<boolean> {
  try {
    const reply = await chat(target, {
      messages: [{ role: 'user', content: 'What time is it? Call the get_time tool to find out.' }],
      tools: [GET_TIME],
      maxTokens: PROBE_TOKENS,
      temperature: 0,
    });
    if (reply.toolCalls.some((call) => call.name === GET_TIME.name)) {
      notes.push('tool calling: the model called get_time');
      return true;
    }
    notes.push(
      reply.toolCalls.length > 0
        ? `tool calling: the model called ${reply.toolCalls.map((c) => c.name).join(', ')} instead of get_time`
        : 'tool call answered with plain text',
    );
    return false;
  } catch (err) {
    if (!unsupported(err)) throw err;
    notes.push(`tool calling refused: ${err.message}`);
    return false;
  }
}

/** Whether `body` (a structured-output request) comes back as a JSON object. */
async function answersJson(
  target: ModelTarget,
  request: ChatRequest,
  body: ChatBody,
  mode: string,
  notes: string[],
): Promise<boolean> {
  try {
    const reply = await complete(target, request, body);
    const ok = isJsonObject(reply.text);
    notes.push(ok ? `${mode}: the reply was a JSON object` : `${mode}: the reply was not JSON`);
    return ok;
  } catch (err) {
    if (!unsupported(err)) throw err;
    notes.push(`${mode} refused: ${err.message}`);
    return false;
  }
}

async function probeJson(target: ModelTarget, notes: string[]): Promise<JsonSupport> {
  const schema = {
    type: 'object',
    properties: { answer: { type: 'string', enum: ['yes', 'no'] } },
    required: ['answer'],
  };
  const request: ChatRequest = {
    messages: [{ role: 'user', content: 'Is water wet? Answer with a JSON object whose "answer" is "yes" or "no".' }],
    maxTokens: PROBE_TOKENS,
    temperature: 0,
  };
  const withSchema = chatBody(target, { ...request, output: { kind: 'json', schema, name: 'probe' } });
  if (await answersJson(target, request, withSchema, 'json_schema', notes)) return 'schema';
  const asObject = withJsonObjectMode(chatBody(target, request), schema);
  return (await answersJson(target, request, asObject, 'json_object', notes)) ? 'object' : 'none';
}

/** Model ids of families that read images; a guess from the name, said so in the notes. */
const VISION_ID =
  /vision|llava|bakllava|pixtral|moondream|minicpm-v|gpt-4o|gpt-4\.1|gpt-5|gemma-?3|qwen[\d.]*-?vl|-vl\b|llama-?3\.2-?(11|90)b|llama-?4/i;

async function probe(target: ModelTarget): Promise<ModelCapabilities> {
  const notes: string[] = [];
  const contextLength = await listedContextLength(target, notes);
  const toolCalling = await probeToolCalling(target, notes);
  const json = await probeJson(target, notes);
  const vision = VISION_ID.test(target.model);
  notes.push(
    vision
      ? `vision guessed from the model id ${target.model} (not tested)`
      : 'vision not tested; assumed absent from the model id',
  );
  return { toolCalling, json, ...(contextLength === undefined ? {} : { contextLength }), vision, notes };
}

export const openaiProvider: ModelProvider = { chat, probe };
