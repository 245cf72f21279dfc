// Claude models through @anthropic-ai/sdk's Messages API, streamed. The SDK's own retries are off (the activity's
// retry policy and the router decide) and our timeout bounds the whole call, stream included. Its errors are
// classified like the HTTP providers' (errors.ts): status, the server's words, Retry-After.
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { ChatRequest, ModelCapabilities, ModelReply } from '../../../contracts/ai';
import {
  callFailure,
  callSignals,
  saysContextOverflow,
  serverDetail,
  serverName,
  statusError,
  withoutKey,
  type CallSignals,
  type HeaderSource,
} from './errors';
import { messageParams, readMessageStream } from './anthropic-wire';
import { ModelCallError, type ModelProvider, type ModelTarget } from './types';

export const ANTHROPIC_API = 'https://api.anthropic.com';

function client(target: ModelTarget): Anthropic {
  if (!target.apiKey)
    throw new ModelCallError('auth', `Model ${target.model}: its Anthropic credential has no API key`);
  return new Anthropic({
    apiKey: target.apiKey,
    baseURL: target.baseUrl || ANTHROPIC_API,
    maxRetries: 0,
    timeout: target.timeoutMs,
    logLevel: 'off', // it would log stream data it cannot parse, which may hold what the user sent
  });
}

/** Headers of an SDK error: a Headers object in current SDKs, a plain record in older ones. */
function headerSource(headers: unknown): HeaderSource {
  if (headers && typeof (headers as HeaderSource).get === 'function') return headers as HeaderSource;
  const record = (headers ?? {}) as Record<string, string | undefined>;
  return { get: (name) => record[name] ?? null };
}

/** The `error.type` of an error event sent inside a stream (no HTTP status then). */
function streamedErrorKind(body: unknown, detail: string): ModelCallError['kind'] {
  const type = (body as { error?: { type?: unknown } } | null)?.error?.type;
  if (type === 'rate_limit_error') return 'rate-limit';
  if (type === 'invalid_request_error') return saysContextOverflow(detail) ? 'context-overflow' : 'bad-request';
  if (type === 'authentication_error' || type === 'permission_error') return 'auth';
  return 'server'; // overloaded_error, api_error
}

function sdkFailure(err: unknown, target: ModelTarget, signals: CallSignals): Error {
  const server = serverName(target.baseUrl || ANTHROPIC_API);
  if (signals.timeout.aborted || signals.caller?.aborted) return callFailure(err, target, signals, server);
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelCallError(
      'timeout',
      `Model ${target.model}: ${server} did not answer within ${target.timeoutMs} ms`,
    );
  }
  if (err instanceof APIConnectionError) return callFailure(err.cause ?? err, target, signals, server);
  if (err instanceof APIError) {
    const detail = serverDetail(err.error) ?? err.message;
    if (typeof err.status === 'number')
      return statusError(target, server, err.status, detail, headerSource(err.headers));
    const message = `Model ${target.model}: ${server} reported an error mid-stream: ${detail}`;
    return new ModelCallError(streamedErrorKind(err.error, detail), message);
  }
  return callFailure(err, target, signals, server);
}

async function chat(target: ModelTarget, request: ChatRequest): Promise<ModelReply> {
  const signals = callSignals(target, request.signal);
  try {
    const stream = await client(target).messages.create(messageParams(target, request), { signal: signals.signal });
    const reply = await readMessageStream(target, request, stream);
    // The SDK ends a stream quietly when its signal aborts: a timeout mid-stream is found here.
    if (signals.timeout.aborted || signals.caller?.aborted) throw signals.signal.reason;
    return reply;
  } catch (err) {
    throw withoutKey(sdkFailure(err, target, signals), target.apiKey);
  }
}

/** A number or a `{ supported }` flag from the model listing, whatever the SDK version declares. */
function field(info: object, name: string): unknown {
  return (info as { [key: string]: unknown })[name];
}

async function probe(target: ModelTarget): Promise<ModelCapabilities> {
  const notes = ['tool calling and JSON output (as a forced tool) are native to Claude models'];
  const signals = callSignals(target);
  let contextLength: number | undefined;
  let vision = true;
  try {
    const info = await client(target).models.retrieve(target.model, {}, { signal: signals.signal });
    const max = field(info, 'max_input_tokens');
    if (typeof max === 'number' && max > 0) {
      contextLength = max;
      notes.push(`context length ${max} from GET /v1/models`);
    } else notes.push('GET /v1/models does not give the context length');
    const images = field(info, 'capabilities') as { image_input?: { supported?: unknown } } | null | undefined;
    if (typeof images?.image_input?.supported === 'boolean') vision = images.image_input.supported;
    else notes.push('vision assumed: Claude models read images');
  } catch (err) {
    const failure = withoutKey(sdkFailure(err, target, signals), target.apiKey);
    if (!(failure instanceof ModelCallError) || failure.kind !== 'bad-request') throw failure;
    notes.push(`GET /v1/models/${target.model} failed (${failure.message}); context length unknown`);
  }
  return {
    toolCalling: true,
    json: 'schema',
    ...(contextLength === undefined ? {} : { contextLength }),
    vision,
    notes,
  };
}

export const anthropicProvider: ModelProvider = { chat, probe };
