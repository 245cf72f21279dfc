// A scripted Ollama server (run as a child process; test/fake-llm/launch.ts starts it): POST /api/chat streams
// newline-delimited JSON as Ollama's docs/api.md shows it (message pieces with done:false, then a done:true line with
// done_reason, prompt_eval_count and eval_count; tool calls whole, arguments as an object), POST /api/show and
// GET /api/tags answer from the options, errors are `{"error": "…"}`.
import type http from 'node:http';
import { DEFAULT_USAGE, pieces, type Turn } from './script';
import { finish, json, pause, runFakeServer, streamPieces, type Exchange } from './server';

const CREATED_AT = '2026-12-01T00:00:00.000000Z';

const SHOW = {
  details: { format: 'gguf', family: 'llama', parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
  model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072, 'llama.embedding_length': 4096 },
  capabilities: ['completion', 'tools'],
};

/** Arguments as Ollama sends them: parsed into an object (a string only when they do not parse). */
function argumentsOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function streamTurn(
  res: http.ServerResponse,
  model: string,
  turn: Exclude<Turn, { kind: 'error' }>,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (fields: Record<string, unknown>) => `${JSON.stringify({ model, created_at: CREATED_AT, ...fields })}\n`;
  const lines = pieces(turn.text ?? '').map((piece) =>
    line({ message: { role: 'assistant', content: piece }, done: false }),
  );
  if (turn.kind === 'drop') {
    await streamPieces(res, lines);
    return finish(res, turn.how);
  }
  if (turn.kind === 'broken-json') {
    await streamPieces(res, [...lines, '{"model":"x","message":{"content":\n']);
    return finish(res, 'end');
  }
  if (turn.kind === 'stream-error') {
    await streamPieces(res, [...lines, `${JSON.stringify({ error: turn.error })}\n`]);
    return finish(res, 'end');
  }
  if (turn.kind === 'tool-calls') {
    const calls = turn.calls.map((call) => ({ function: { name: call.name, arguments: argumentsOf(call.arguments) } }));
    lines.push(line({ message: { role: 'assistant', content: '', tool_calls: calls }, done: false }));
  }
  const counts =
    turn.usage === 'none'
      ? {}
      : { prompt_eval_count: (turn.usage ?? DEFAULT_USAGE).input, eval_count: (turn.usage ?? DEFAULT_USAGE).output };
  lines.push(
    line({
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: turn.kind === 'text' && turn.finish === 'length' ? 'length' : 'stop',
      total_duration: 1_000_000,
      load_duration: 10_000,
      ...counts,
    }),
  );
  await streamPieces(res, lines);
  res.end();
}

async function route(exchange: Exchange): Promise<boolean> {
  const { request, res, options } = exchange;
  const auth = request.headers.authorization;
  if (options.apiKey && auth !== `Bearer ${options.apiKey}`) {
    json(res, 401, { error: 'unauthorized' });
    return true;
  }
  const body = (request.body ?? {}) as { model?: string };
  if (request.method === 'GET' && request.path === '/api/tags') {
    json(res, 200, { models: [{ name: 'fake:latest', model: 'fake:latest', size: 1 }] });
    return true;
  }
  if (request.method === 'POST' && request.path === '/api/show') {
    if (!body.model) json(res, 400, { error: 'model is required' });
    else json(res, 200, options.show ?? SHOW);
    return true;
  }
  if (request.method !== 'POST' || request.path !== '/api/chat') return false;
  if (!body.model) {
    json(res, 400, { error: 'model is required' });
    return true;
  }
  const turn = exchange.nextTurn();
  if (!turn) {
    json(res, 500, { error: 'fake server: no scripted turn left for this request' });
    return true;
  }
  await pause(res, turn.delayMs ?? 0);
  if (turn.kind === 'error') json(res, turn.status, turn.body, turn.headers);
  else await streamTurn(res, turn.model ?? body.model, turn);
  return true;
}

await runFakeServer(route);
