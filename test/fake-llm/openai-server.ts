// A scripted OpenAI-compatible server (run as a child process; test/fake-llm/launch.ts starts it). It answers
// GET /v1/models and POST /v1/chat/completions as OpenAI's API reference documents them: replies stream as
// chat.completion.chunk server-sent events ending in `data: [DONE]`, usage comes in a last chunk only when
// stream_options.include_usage asks for it, and the checks OpenAI makes on a request (key, tool message order) answer
// with OpenAI's own error bodies.
import type http from 'node:http';
import { DEFAULT_USAGE, fragments, pieces, type Turn } from './script';
import { finish, json, pause, runFakeServer, scriptSpent, streamPieces, type Exchange } from './server';

interface ChatBody {
  model?: string;
  messages?: Array<{ role?: string; tool_call_id?: string; tool_calls?: Array<{ id?: string }> }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

const invalid = (message: string, code: string | null = null) => ({
  error: { message, type: 'invalid_request_error', param: null, code },
});

/** A missing or wrong key: 401, quoting the key it was given (partly masked by OpenAI; in full here, the worst case). */
function keyRefusal(exchange: Exchange): { status: number; body: unknown } | undefined {
  const { request, options } = exchange;
  const auth = request.headers.authorization;
  if (!options.apiKey || auth === `Bearer ${options.apiKey}`) return undefined;
  const given = typeof auth === 'string' ? auth.replace(/^Bearer /, '') : '';
  const message = `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return { status: 401, body: invalid(message, 'invalid_api_key') };
}

/** What OpenAI refuses in a chat request before generating: a malformed body, tool messages out of order. */
function refusal(exchange: Exchange): { status: number; body: unknown } | undefined {
  const { request } = exchange;
  const body = request.body as ChatBody | undefined;
  if (!body || typeof body !== 'object' || !body.model || !Array.isArray(body.messages) || !body.messages.length) {
    return { status: 400, body: invalid("'model' and a non-empty 'messages' are required properties.") };
  }
  const answered = new Set<string>();
  let pending: string[] = [];
  for (const message of body.messages) {
    if (message.role === 'tool') {
      if (!message.tool_call_id || !pending.includes(message.tool_call_id)) {
        return {
          status: 400,
          body: invalid(
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          ),
        };
      }
      answered.add(message.tool_call_id);
      continue;
    }
    const missing = pending.filter((id) => !answered.has(id));
    if (missing.length) {
      return {
        status: 400,
        body: invalid(
          `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`,
        ),
      };
    }
    pending = (message.tool_calls ?? []).map((call) => call.id ?? '');
  }
  return undefined;
}

type Streamed = Exclude<Turn, { kind: 'error' }>;

function sse(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

async function streamTurn(res: http.ServerResponse, body: ChatBody, turn: Streamed): Promise<void> {
  const model = turn.model ?? body.model;
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (delta: unknown, finishReason: string | null = null) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsage ? { usage: null } : {}),
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events: string[] = [': keep-alive\n\n', sse(chunk({ role: 'assistant', content: '' }))];
  const text = turn.text ?? '';
  for (const piece of pieces(text)) events.push(sse(chunk({ content: piece })));
  if (turn.kind === 'drop') {
    await streamPieces(res, events);
    return finish(res, turn.how);
  }
  if (turn.kind === 'broken-json') {
    await streamPieces(res, [...events, 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":"x"}\n\n']);
    return finish(res, 'end');
  }
  if (turn.kind === 'stream-error') {
    await streamPieces(res, [...events, sse({ error: turn.error })]);
    return finish(res, 'end');
  }
  if (turn.kind === 'tool-calls') {
    turn.calls.forEach((call, index) => {
      const id = call.id ?? `call_fake_${index}`;
      const opening = { index, id, type: 'function', function: { name: call.name, arguments: '' } };
      events.push(sse(chunk({ tool_calls: [opening] })));
      for (const part of fragments(call.arguments)) {
        events.push(sse(chunk({ tool_calls: [{ index, function: { arguments: part } }] })));
      }
    });
  }
  const finishReason = turn.kind === 'tool-calls' ? 'tool_calls' : (turn.finish ?? 'stop');
  events.push(sse(chunk({}, finishReason)));
  if (withUsage && turn.usage !== 'none') {
    const usage = turn.usage ?? DEFAULT_USAGE;
    events.push(
      sse({
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        created: 1_733_000_000,
        model,
        choices: [],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      }),
    );
  }
  events.push(sse('[DONE]'));
  await streamPieces(res, events);
  res.end();
}

async function route(exchange: Exchange): Promise<boolean> {
  const { request, res, options } = exchange;
  const unauthorized = keyRefusal(exchange);
  if (unauthorized) {
    json(res, unauthorized.status, unauthorized.body);
    return true;
  }
  if (request.method === 'GET' && request.path === '/v1/models') {
    const data = options.models ?? [{ id: 'fake-model', object: 'model', created: 1_733_000_000, owned_by: 'fake' }];
    json(res, 200, { object: 'list', data });
    return true;
  }
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions') return false;
  const refused = refusal(exchange);
  if (refused) {
    json(res, refused.status, refused.body);
    return true;
  }
  const turn = exchange.nextTurn();
  if (!turn) {
    scriptSpent(res);
    return true;
  }
  await pause(res, turn.delayMs ?? 0);
  if (turn.kind === 'error') json(res, turn.status, turn.body, turn.headers);
  else await streamTurn(res, request.body as ChatBody, turn);
  return true;
}

await runFakeServer(route);
