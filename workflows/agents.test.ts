// LLM and Agent nodes end to end: documents compiled by the real compiler, run by a real worker against Temporal and
// the Mongo-protocol server, the models behind scripted OpenAI-compatible servers (real HTTP, streamed SSE), tools
// against a real HTTP server on loopback, tool approvals decided through temporal/approvals.ts as the web does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { savePlan } from '../db/plans';
import { createWorkflow, publishVersion } from '../db/workflows';
import { compileOrThrow } from '../test/run-harness';
import { REPO_ROOT } from '../test/stack';
import type { ChatMessage } from '../contracts/ai';
import { saveAiSettings } from '../db/ai-settings';
import { approvalsOfRun } from '../db/approvals';
import { callsOfRun, readMessages, sumUsage } from '../db/agent-calls';
import { createCredential } from '../db/credentials';
import { createModel } from '../db/models';
import { getRunUnscoped } from '../db/runs';
import { listSteps } from '../db/steps';
import { submitDecision } from '../temporal/approvals';
import { waitForRun } from '../temporal/client';
import { createApprovalWorld, waitFor, type ApprovalWorld } from '../test/approval-world';
import { launchFakeLlm, type FakeLlm, type Turn } from '../test/fake-llm/launch';
import { startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../test/run-harness';
import type { AgentOutput } from '../activities';

let h: RunHarness;
let w: ApprovalWorld;
let main: FakeLlm;
let backup: FakeLlm;
let tools: ToolServer;
const models: Record<string, string> = {};
const API_KEY = `sk-canary-${randomUUID()}`;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'baton-agents-'));
const NOTES_FILE = path.join(scratch, 'notes.txt');

/** A loopback HTTP API the agents' HTTP tools call: it records each call (the side effect tests count). */
interface ToolServer {
  url: string;
  calls: Array<{ path: string; body: unknown }>;
  close(): Promise<void>;
}

async function startToolServer(): Promise<ToolServer> {
  const calls: ToolServer['calls'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', body: body ? JSON.parse(body) : undefined });
      const city = new URL(req.url ?? '/', 'http://x').searchParams.get('city');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(city ? { city, sky: 'sunny', celsius: 21 } : { ok: true, n: calls.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  [main, backup, tools] = await Promise.all([
    launchFakeLlm('openai', { apiKey: API_KEY }),
    launchFakeLlm('openai', { apiKey: API_KEY }),
    startToolServer(),
  ]);
  h = await startRunHarness('agents');
  w = await createApprovalWorld();
  // The operator's registry of stdio MCP servers: the test server, writing its notes into this test's file.
  const registry = path.join(scratch, 'mcp-servers.json');
  const stdio = { command: process.execPath, args: ['--import', 'tsx', 'test/mcp/stdio-server.ts'], cwd: REPO_ROOT };
  writeFileSync(registry, JSON.stringify({ notes: { ...stdio, env: { NOTES_FILE } } }));
  await h.startWorker({
    queues: ['default', 'gpu'],
    env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1', BATON_MCP_SERVERS: registry },
  });
  for (const [name, fake] of [
    ['main', main],
    ['backup', backup],
  ] as const) {
    const credential = await createCredential(w.scope, {
      name: `${name} API`,
      type: 'openai-compatible',
      values: { baseUrl: fake.url, apiKey: API_KEY },
    });
    const model = await createModel(w.scope, {
      name: `${name}-model`,
      provider: 'openai-compatible',
      model: `${name}-1`,
      credentialId: credential.id,
      prices: { inputPerMTok: 1000, outputPerMTok: 2000, perGpuSecond: 0 },
    });
    models[name] = model.id;
  }
}, 180_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([main?.stop(), backup?.stop(), tools?.close()]);
});

const start = { id: 'Start', type: 'manual-trigger' };
const retryOnce = { retry: { maximumAttempts: 1, initialIntervalMs: 100, backoffCoefficient: 1 } };

function agentDoc(params: Record<string, unknown>, type: 'agent' | 'llm' = 'agent', policy?: DocNode['policy']) {
  const nodes: DocNode[] = [
    start,
    { id: 'Ask', type, params: { model: models.main, ...params }, ...(policy ? { policy } : {}) },
    { id: 'Answered', type: 'set-fields', params: { fields: { went: 'answered' } } },
    ...(type === 'agent' ? [{ id: 'Limit', type: 'set-fields', params: { fields: { went: 'limit' } } }] : []),
  ];
  return workflowDoc(nodes, [
    ['Start', 'Ask'],
    ['Ask', 'Answered'],
    ...(type === 'agent' ? ([['Ask:maxIterations', 'Limit']] as Array<[string, string]>) : []),
  ]);
}

async function runToEnd(doc: ReturnType<typeof agentDoc>, trigger: unknown = {}) {
  const runId = await w.startRun(doc, trigger);
  const result = await waitForRun(runId, 120_000);
  const steps = await listSteps(runId);
  const ask = steps.find((s) => s.nodeId === 'Ask');
  return { runId, result, ask, output: ask?.output as AgentOutput | undefined, calls: await callsOfRun(runId) };
}

const text = (t: string): Turn => ({ kind: 'text', text: t });
const toolCall = (name: string, args: unknown, id = `call_${name}`): Turn => ({
  kind: 'tool-calls',
  calls: [{ id, name, arguments: JSON.stringify(args) }],
});
const weatherTool = () => ({ kind: 'http', name: 'weather', method: 'GET', url: `${tools.url}/weather?city={city}` });

test('an LLM node answers with text: the prompt is resolved, the call is recorded with tokens and cost', async () => {
  await main.script([{ ...text('Welcome aboard, Ada!'), usage: { input: 100, output: 50 } }]);
  const { result, output, calls } = await runToEnd(
    agentDoc({ system: 'You are HR.', prompt: 'Greet {{ $input.name }}.' }, 'llm'),
    { name: 'Ada' },
  );
  expect(result.status).toBe('succeeded');
  expect(output).toMatchObject({ answer: 'Welcome aboard, Ada!', iterations: 1, toolCalls: 0 });
  const [request] = await main.requests();
  const body = request.body as { messages: Array<{ role: string; content: string }>; stream: boolean };
  expect(body.stream).toBe(true);
  expect(body.messages).toEqual([
    { role: 'system', content: 'You are HR.' },
    { role: 'user', content: 'Greet Ada.' },
  ]);
  expect(calls).toHaveLength(1);
  // 100 input tokens at $1000/M and 50 output at $2000/M.
  expect(calls[0]).toMatchObject({ kind: 'model', status: 'succeeded', usage: { inputTokens: 100, outputTokens: 50 } });
  expect(calls[0].costUsd).toBeCloseTo(0.2, 10);
  expect(output!.usage).toMatchObject({ calls: 1, inputTokens: 100, outputTokens: 50 });
  expect(output!.usage.costUsd).toBeCloseTo(0.2, 10);
  // The API key went to the server as a header only, and appears in no record.
  expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(JSON.stringify({ calls, output })).not.toContain(API_KEY);
}, 180_000);

test('a JSON answer that does not match the schema is sent back with the error, then accepted', async () => {
  await main.script([text('Sure! The score is high.'), text('{"score": "high"}'), text('```json\n{"score": 9}\n```')]);
  const { result, output } = await runToEnd(
    agentDoc(
      {
        prompt: 'Score the candidate.',
        output: 'json',
        schema: { type: 'object', properties: { score: { type: 'number' } }, required: ['score'] },
      },
      'llm',
    ),
  );
  expect(result.status).toBe('succeeded');
  expect(output!.answer).toEqual({ score: 9 });
  const requests = await main.requests();
  expect(requests).toHaveLength(3);
  const last = (requests[2].body as { messages: Array<{ role: string; content: string }> }).messages;
  expect(last.at(-1)!.content).toContain('does not match the schema');
  expect(last.at(-3)!.content).toContain('not JSON');
}, 180_000);

test('re-asks are bounded: a model that never matches fails the node with the validation error', async () => {
  await main.script([text('no'), text('still no')]);
  const { result } = await runToEnd(
    agentDoc({ prompt: 'Score.', output: 'json', schema: { type: 'object' }, reasks: 1 }, 'llm', retryOnce),
  );
  expect(result.status).toBe('failed');
  expect(result.error?.message).toContain('failed after 1 re-ask');
}, 180_000);

test('an agent calls an HTTP tool, reads its result and answers; each call is a recorded step', async () => {
  await main.script([toolCall('weather', { city: 'Paris' }), text('It is sunny in Paris, 21°C.')]);
  tools.calls.length = 0;
  const { result, output, calls, runId } = await runToEnd(
    agentDoc({ prompt: 'Weather in Paris?', tools: [weatherTool()] }),
  );
  expect(result.status).toBe('succeeded');
  expect(result.output).toHaveProperty('Answered');
  expect(output).toMatchObject({ answer: 'It is sunny in Paris, 21°C.', iterations: 2, toolCalls: 1 });
  expect(tools.calls.map((c) => c.path)).toEqual(['/weather?city=Paris']);
  expect(calls.map((c) => [c.kind, c.name, c.status])).toEqual([
    ['model', 'main-model', 'succeeded'],
    ['tool', 'weather', 'succeeded'],
    ['model', 'main-model', 'succeeded'],
  ]);
  // The second model call saw the tool's result, tied to the call it answers.
  const second = (await main.requests())[1].body as { messages: Array<Record<string, unknown>>; tools: unknown[] };
  expect(second.tools).toHaveLength(1);
  const toolMessage = second.messages.find((m) => m.role === 'tool')!;
  expect(toolMessage).toMatchObject({ tool_call_id: 'call_weather' });
  expect(String(toolMessage.content)).toContain('sunny');
  await h.recordHistory('agent-http-tool', runId);
  const transcript = await readMessages(`${runId}:Ask:0`, 4);
  expect(transcript.map((m: ChatMessage) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
}, 180_000);

test('a model that gives up with server errors hands the call to the fallback model, and the call says so', async () => {
  const failing: Turn = { kind: 'error', status: 503, body: { error: { message: 'overloaded' } } };
  await main.script([failing]);
  await backup.script([text('Answered by the backup.')]);
  const { result, output, calls, runId } = await runToEnd(
    agentDoc({ prompt: 'Hello', fallbackModel: models.backup }, 'llm', retryOnce),
  );
  expect(result.status).toBe('succeeded');
  expect(output!.answer).toBe('Answered by the backup.');
  await h.recordHistory('agent-fallback', runId);
  expect(calls.map((c) => [c.name, c.status])).toEqual([
    ['main-model', 'failed'],
    ['backup-model', 'succeeded'],
  ]);
  expect(calls[1].note).toContain('Fallback: main-model failed (server)');
}, 180_000);

test('an auth error does not fall back: it fails the node, naming the model', async () => {
  await main.script([{ kind: 'error', status: 401, body: { error: { message: 'bad key' } } }]);
  await backup.script([text('should not be asked')]);
  const { result } = await runToEnd(agentDoc({ prompt: 'Hello', fallbackModel: models.backup }, 'llm', retryOnce));
  expect(result.status).toBe('failed');
  expect(result.error?.message).toContain('main-model');
  expect(await backup.requests()).toHaveLength(0);
}, 180_000);

test('at max iterations the agent goes down "Max iterations" with the transcript so far', async () => {
  await main.script([toolCall('weather', { city: 'Oslo' }, 'c1'), toolCall('weather', { city: 'Rome' }, 'c2')]);
  const { result, output } = await runToEnd(
    agentDoc({ prompt: 'Keep checking.', tools: [weatherTool()], maxIterations: 2 }),
  );
  expect(result.status).toBe('succeeded');
  expect(result.output).toHaveProperty('Limit');
  expect(result.output).not.toHaveProperty('Answered');
  expect(output).toMatchObject({ reason: 'max-iterations', iterations: 2, toolCalls: 2 });
  expect(output!.transcript!.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
}, 180_000);

test('a run budget stops the run with a clear error once the calls have cost it', async () => {
  // Each call costs 21 × $1000/M + 8 × $2000/M = $0.037: the second call would pass a $0.03 budget.
  await main.script([toolCall('weather', { city: 'Paris' }), text('done')]);
  const { result, calls } = await runToEnd(
    agentDoc({ prompt: 'Weather?', tools: [weatherTool()], budgetUsd: 0.03 }, 'agent', retryOnce),
  );
  expect(result.status).toBe('failed');
  expect(result.error?.message).toMatch(
    /AI budget exceeded: this run's model calls have cost \$0\.0370 of its \$0\.0300/,
  );
  expect(sumUsage(calls).calls).toBe(1);
}, 180_000);

test('an approval-gated tool: a rejection is told to the model; edited arguments change the call', async () => {
  const gated = { ...weatherTool(), needsApproval: true };
  await main.script([
    toolCall('weather', { city: 'Paris' }, 'first'),
    toolCall('weather', { city: 'Paris' }, 'second'),
    text('Done.'),
  ]);
  tools.calls.length = 0;
  const runId = await w.startRun(agentDoc({ prompt: 'Weather?', tools: [gated], toolApprovers: 'admin' }));
  const boss = { id: w.users.boss.id, name: 'boss' };

  const first = await waitFor('the first tool approval', async () => (await approvalsOfRun(runId))[0]);
  expect(first.title).toBe('Ask wants to call weather');
  expect(first.data).toEqual({ tool: 'weather', arguments: { city: 'Paris' } });
  await waitFor('the run marked awaiting', async () => ((await getRunUnscoped(runId))?.awaiting ? true : undefined));
  await submitDecision(first, boss, { decision: 'reject', comment: 'not Paris' }, { via: 'inbox' });

  const second = await waitFor('the second tool approval', async () => (await approvalsOfRun(runId))[1]);
  await submitDecision(
    second,
    boss,
    { decision: 'approve', data: { tool: 'weather', arguments: { city: 'Lyon' } } },
    { via: 'inbox' },
  );
  const result = await waitForRun(runId, 120_000);
  expect(result.status).toBe('succeeded');
  await h.recordHistory('agent-tool-approval', runId);
  expect(tools.calls.map((c) => c.path)).toEqual(['/weather?city=Lyon']);
  const afterReject = (await main.requests())[1].body as { messages: Array<Record<string, unknown>> };
  expect(String(afterReject.messages.at(-1)!.content)).toContain('The reviewer rejected this call: not Paris');
  const calls = await callsOfRun(runId);
  expect(calls.filter((c) => c.kind === 'tool').map((c) => c.status)).toEqual(['rejected', 'succeeded']);
  expect(calls.find((c) => c.kind === 'tool' && c.status === 'succeeded')).toMatchObject({
    input: JSON.stringify({ city: 'Lyon' }),
    note: 'A reviewer edited the arguments before approving.',
  });
}, 180_000);

test('a model reply naming no such tool, or with arguments that are not JSON, is answered with an error, not run', async () => {
  await main.script([
    toolCall('teleport', { to: 'Mars' }, 'x1'),
    { kind: 'tool-calls', calls: [{ id: 'x2', name: 'weather', arguments: '{"city": "Par' }] },
    text('Gave up.'),
  ]);
  tools.calls.length = 0;
  const { result, calls } = await runToEnd(agentDoc({ prompt: 'Go.', tools: [weatherTool()] }));
  expect(result.status).toBe('succeeded');
  expect(tools.calls).toHaveLength(0);
  const requests = await main.requests();
  const second = (requests[1].body as { messages: Array<Record<string, unknown>> }).messages.at(-1)!;
  expect(String(second.content)).toContain('there is no tool "teleport"');
  const third = (requests[2].body as { messages: Array<Record<string, unknown>> }).messages.at(-1)!;
  expect(String(third.content)).toContain('not a JSON object');
  // Both are on record, as failed calls: the run page and the activity feed list them.
  expect(calls.filter((c) => c.kind === 'tool').map((c) => [c.name, c.status])).toEqual([
    ['teleport', 'failed'],
    ['weather', 'failed'],
  ]);
}, 180_000);

test('a Baton node as a tool: the author fixes some params, the model fills the rest, taken literally', async () => {
  await main.script([toolCall('fingerprint', { value: '{{ $input.secret }}' }), text('The fingerprint is computed.')]);
  const { result, calls } = await runToEnd(
    agentDoc({
      prompt: 'Fingerprint it.',
      tools: [
        { kind: 'node', name: 'fingerprint', type: 'crypto', params: { operation: 'hash', algorithm: 'sha256' } },
      ],
    }),
    { secret: 'do-not-leak' },
  );
  expect(result.status).toBe('succeeded');
  const [tool] = calls.filter((c) => c.kind === 'tool');
  expect(tool).toMatchObject({ name: 'fingerprint', status: 'succeeded' });
  // The model's "{{ $input.secret }}" was hashed as text: an expression from a model is never evaluated.
  const { createHash } = await import('node:crypto');
  expect(tool.output).toContain(createHash('sha256').update('{{ $input.secret }}').digest('hex'));
  expect(tool.output).not.toContain(createHash('sha256').update('do-not-leak').digest('hex'));
  const offered = (
    (await main.requests())[0].body as {
      tools: Array<{ function: { name: string; parameters: { properties: object } } }>;
    }
  ).tools;
  expect(offered[0].function.name).toBe('fingerprint');
  expect(offered[0].function.parameters.properties).toHaveProperty('value');
  expect(offered[0].function.parameters.properties).not.toHaveProperty('algorithm'); // fixed by the author
}, 180_000);

test('a sub-workflow as a tool runs as a child run; its output is the tool result', async () => {
  const childDoc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: 'Ticket', type: 'set-fields', params: { fields: { ticket: 'T-{{ $input.employee }}' }, keepInput: false } },
    ],
    [['Start', 'Ticket']],
  );
  const child = await createWorkflow(w.scope, { name: 'Open ticket', ownerId: w.users.owner.id, document: childDoc });
  const plan = compileOrThrow(childDoc, child.id, child.name);
  await savePlan(plan);
  await publishVersion(w.scope, {
    workflowId: child.id,
    document: childDoc,
    planHash: plan.hash,
    createdBy: w.users.owner.id,
  });
  await main.script([toolCall('open_ticket', { employee: 'ada' }), text('Ticket opened.')]);
  const { result, calls } = await runToEnd(
    agentDoc({
      prompt: 'Open a ticket for ada.',
      tools: [{ kind: 'workflow', name: 'open_ticket', workflowId: child.id }],
    }),
  );
  expect(result.status).toBe('succeeded');
  const [tool] = calls.filter((c) => c.kind === 'tool');
  expect(tool).toMatchObject({ name: 'open_ticket', status: 'succeeded' });
  expect(tool.output).toContain('T-ada');
}, 180_000);

test('an MCP server the operator registered: its tools are offered by name, a call writes once, an error is told', async () => {
  writeFileSync(NOTES_FILE, '');
  await main.script([
    toolCall('notes__write_note', { text: 'welcome pack sent' }, 'm1'),
    toolCall('notes__fail', {}, 'm2'),
    text('Noted.'),
  ]);
  const { result, calls } = await runToEnd(
    agentDoc({
      prompt: 'Note it.',
      tools: [{ kind: 'mcp', name: 'notes', server: 'notes', tools: ['write_note', 'fail'] }],
    }),
  );
  expect(result.status).toBe('succeeded');
  const offered = ((await main.requests())[0].body as { tools: Array<{ function: { name: string } }> }).tools;
  expect(offered.map((t) => t.function.name)).toEqual(['notes__write_note', 'notes__fail']);
  expect(readFileSync(NOTES_FILE, 'utf8').trim().split('\n')).toEqual(['welcome pack sent']);
  expect(calls.filter((c) => c.kind === 'tool').map((c) => [c.name, c.status])).toEqual([
    ['notes__write_note', 'succeeded'],
    ['notes__fail', 'failed'],
  ]);
}, 180_000);

test('an MCP server that is not registered fails the node, naming the tool and the registered ones', async () => {
  const { result } = await runToEnd(
    agentDoc({ prompt: 'x', tools: [{ kind: 'mcp', name: 'files', server: 'nope' }] }, 'agent', retryOnce),
  );
  expect(result.status).toBe('failed');
  expect(result.error?.message).toContain('Tool "files": no MCP server "nope" is registered on this worker');
  expect(result.error?.message).toContain('lists notes');
}, 180_000);

test("a workflow's monthly AI budget stops a run once the month's calls have cost it", async () => {
  await main.script([toolCall('weather', { city: 'Paris' }), text('done')]);
  const doc = { ...agentDoc({ prompt: 'Weather?', tools: [weatherTool()] }, 'agent', retryOnce) };
  const { result } = await runToEnd({ ...doc, settings: { aiBudgetUsdPerMonth: 0.03 } });
  expect(result.status).toBe('failed');
  expect(result.error?.message).toMatch(
    /AI budget exceeded: this workflow's model calls have cost \$0\.0370 this month, of its \$0\.0300 monthly budget/,
  );
}, 180_000);

test('conversation memory: a later run under the same key starts from what was said before', async () => {
  await main.script([text('Noted: Ada prefers a Mac.'), text('You said Ada prefers a Mac.')]);
  const params = { prompt: '{{ $input.say }}', memoryKey: 'employee-{{ $input.id }}' };
  const first = await runToEnd(agentDoc(params), { id: 'e7', say: 'Ada prefers a Mac.' });
  expect(first.result.status).toBe('succeeded');
  const second = await runToEnd(agentDoc(params), { id: 'e7', say: 'What laptop for Ada?' });
  expect(second.output!.answer).toBe('You said Ada prefers a Mac.');
  const sent = ((await main.requests())[1].body as { messages: Array<{ role: string; content: string }> }).messages;
  expect(sent).toEqual([
    { role: 'user', content: 'Ada prefers a Mac.' },
    { role: 'assistant', content: 'Noted: Ada prefers a Mac.' },
    { role: 'user', content: 'What laptop for Ada?' },
  ]);
}, 180_000);

test("the workspace's routing: its fallback model follows a node's own route, and its monthly budget stops calls", async () => {
  await saveAiSettings(w.scope, { fallbackModelId: models.backup });
  try {
    await main.script([{ kind: 'error', status: 429, body: { error: { message: 'slow down' } } }]);
    await backup.script([text('The workspace fallback answered.')]);
    const { output, calls } = await runToEnd(agentDoc({ prompt: 'Hello' }, 'llm', retryOnce));
    expect(output!.answer).toBe('The workspace fallback answered.');
    expect(calls[1].note).toContain('Fallback: main-model failed (rate-limit)');

    // Everything this workspace's tests spent so far this month is over a $0.01 budget.
    await saveAiSettings(w.scope, { monthlyBudgetUsd: 0.01 });
    await main.script([text('never asked')]);
    const { result } = await runToEnd(agentDoc({ prompt: 'Hello' }, 'llm', retryOnce));
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(
      /AI budget exceeded: this workspace's model calls have cost \$\d+\.\d{4} this month, of its \$0\.0100 monthly budget/,
    );
    expect(await main.requests()).toHaveLength(0);
  } finally {
    await saveAiSettings(w.scope, {});
  }
}, 180_000);
