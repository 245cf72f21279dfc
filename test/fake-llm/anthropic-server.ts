// A scripted Anthropic Messages API server (run as a child process; test/fake-llm/launch.ts starts it). It answers
// POST /v1/messages with the documented stream (message_start, content_block_start, content_block_delta with
// text_delta or input_json_delta, content_block_stop, message_delta, message_stop, and a ping), GET /v1/models and
// GET /v1/models/{id}, and refuses what the API refuses (missing headers or max_tokens, a `system` role, tool_use
// without its tool_result in the next turn) with Anthropic's error bodies.
import type http from 'node:http';
import { DEFAULT_USAGE, fragments, pieces, type Turn } from './script';
import { finish, json, pause, runFakeServer, scriptSpent, streamPieces, type Exchange } from './server';

type Block = { type?: string; id?: string; tool_use_id?: string };
interface MessagesBody {
  model?: string;
  max_tokens?: unknown;
  stream?: boolean;
  messages?: Array<{ role?: string; content?: string | Block[] }>;
  tools?: Array<{ name?: string }>;
  tool_choice?: { type?: string; name?: string };
}

const apiError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

const blocksOf = (content: string | Block[] | undefined): Block[] => (Array.isArray(content) ? content : []);

/** The first rule of the Messages API the body breaks, as Anthropic words it. */
function invalidBody(body: MessagesBody | undefined): string | undefined {
  if (!body || typeof body !== 'object') return 'Request body must be JSON.';
  if (!body.model) return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  const messages = body.messages ?? [];
  if (messages.length === 0) return 'messages: at least one message is required';
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    const uses = blocksOf(message.content)
      .filter((b) => b.type === 'tool_use')
      .map((b) => b.id ?? '');
    const next = messages[i + 1];
    const results = blocksOf(next?.content)
      .filter((b) => b.type === 'tool_result')
      .map((b) => b.tool_use_id ?? '');
    const unanswered = uses.filter((id) => !results.includes(id));
    if (uses.length && (next?.role !== 'user' || unanswered.length)) {
      return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
    const previous = blocksOf(messages[i - 1]?.content)
      .filter((b) => b.type === 'tool_use')
      .map((b) => b.id);
    const orphan = blocksOf(message.content).find((b) => b.type === 'tool_result' && !previous.includes(b.tool_use_id));
    if (orphan) {
      return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${orphan.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  if (body.tool_choice?.type === 'tool' && !(body.tools ?? []).some((t) => t.name === body.tool_choice?.name)) {
    return `tool_choice.name: tool "${body.tool_choice.name}" not found in tools`;
  }
  return undefined;
}

/**
 * A wrong or missing key or version header: 401 or 400, as the API answers. The key is taken from `x-api-key` or as a
 * Bearer token: the SDK sends it as the latter since 1.x.
 */
function refusal(exchange: Exchange): { status: number; body: unknown } | undefined {
  const { headers } = exchange.request;
  const bearer = typeof headers.authorization === 'string' ? headers.authorization.replace(/^Bearer /, '') : undefined;
  const key = headers['x-api-key'] ?? bearer;
  if (!key) return { status: 401, body: apiError('authentication_error', 'x-api-key header is required') };
  if (exchange.options.apiKey && key !== exchange.options.apiKey) {
    return { status: 401, body: apiError('authentication_error', `invalid x-api-key: ${String(key)}`) };
  }
  if (!headers['anthropic-version']) {
    return { status: 400, body: apiError('invalid_request_error', 'anthropic-version: header is required') };
  }
  return undefined;
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

type Streamed = Exclude<Turn, { kind: 'error' }>;

async function streamTurn(res: http.ServerResponse, body: MessagesBody, turn: Streamed): Promise<void> {
  const usage = turn.usage === 'none' || turn.usage === undefined ? DEFAULT_USAGE : turn.usage;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_fake' });
  const message = {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    content: [],
    model: turn.model ?? body.model,
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: 1 },
  };
  const events = [event('message_start', { message }), event('ping', {})];
  let index = 0;
  const text = turn.text ?? '';
  if (text) {
    events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    for (const piece of pieces(text)) {
      events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    }
    if (turn.kind !== 'drop') events.push(event('content_block_stop', { index }));
    index++;
  }
  if (turn.kind === 'drop') {
    await streamPieces(res, events);
    return finish(res, turn.how);
  }
  if (turn.kind === 'broken-json') {
    await streamPieces(res, [
      ...events,
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,\n\n',
    ]);
    return finish(res, 'end');
  }
  if (turn.kind === 'stream-error') {
    await streamPieces(res, [
      ...events,
      `event: error\ndata: ${JSON.stringify({ type: 'error', error: turn.error })}\n\n`,
    ]);
    return finish(res, 'end');
  }
  if (turn.kind === 'tool-calls') {
    for (const [n, call] of turn.calls.entries()) {
      const block = { type: 'tool_use', id: call.id ?? `toolu_fake_${n}`, name: call.name, input: {} };
      events.push(event('content_block_start', { index, content_block: block }));
      for (const part of fragments(call.arguments)) {
        events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
      }
      events.push(event('content_block_stop', { index }));
      index++;
    }
  }
  const stopReason = turn.kind === 'tool-calls' ? 'tool_use' : turn.finish === 'length' ? 'max_tokens' : 'end_turn';
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    event('message_stop', {}),
  );
  await streamPieces(res, events);
  res.end();
}

const MODELS = [
  {
    type: 'model',
    id: 'claude-fake-4',
    display_name: 'Claude Fake 4',
    created_at: '2026-01-01T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    capabilities: null,
  },
];

async function route(exchange: Exchange): Promise<boolean> {
  const { request, res, options } = exchange;
  const models: Array<Record<string, unknown>> = options.models ?? MODELS;
  if (request.method === 'GET' && request.path.startsWith('/v1/models')) {
    const refused = refusal(exchange);
    if (refused) json(res, refused.status, refused.body);
    else if (request.path === '/v1/models') {
      json(res, 200, {
        data: models,
        has_more: false,
        first_id: models[0]?.id ?? null,
        last_id: models.at(-1)?.id ?? null,
      });
    } else {
      const id = decodeURIComponent(request.path.slice('/v1/models/'.length));
      const model = models.find((m) => m.id === id);
      if (model) json(res, 200, model);
      else json(res, 404, apiError('not_found_error', `model: ${id}`));
    }
    return true;
  }
  if (request.method !== 'POST' || request.path !== '/v1/messages') return false;
  const refused = refusal(exchange);
  const invalid = refused ? undefined : invalidBody(request.body as MessagesBody | undefined);
  if (refused) json(res, refused.status, refused.body);
  else if (invalid) json(res, 400, apiError('invalid_request_error', invalid));
  else {
    const turn = exchange.nextTurn();
    if (!turn) scriptSpent(res);
    else {
      await pause(res, turn.delayMs ?? 0);
      if (turn.kind === 'error') json(res, turn.status, turn.body, turn.headers);
      else await streamTurn(res, request.body as MessagesBody, turn);
    }
  }
  return true;
}

await runFakeServer(route);
