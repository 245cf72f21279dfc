// Chats with a workflow over HTTP against the real web server and a real worker, the model behind the scripted
// OpenAI-compatible server (its own process, real streamed SSE): a conversation starts with "Hi" and gets its reply,
// a second message is answered in the same run with the whole conversation sent to the model, closing it ends the
// run; messages to an ended chat, to another workspace's chat or to a run that is not a chat are refused, and so are
// empty and too long messages; a chat whose model fails says why.
import mongoose from 'mongoose';
import { launchFakeLlm, type FakeLlm } from '../test/fake-llm/launch';
import { anyNode, chain, docWith, manualNode } from './web-test-documents';
import { startWebStack, viewerAndOutsider, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
let llm: FakeLlm;
let otherToken: string;
let viewerToken: string;
let modelId: string;

beforeAll(async () => {
  [stack, llm] = await Promise.all([startWebStack('chat', { worker: true }), launchFakeLlm('openai')]);
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
  const credential = await stack.api('POST', '/api/credentials', {
    name: 'Scripted model server',
    type: 'openai-compatible',
    values: { baseUrl: llm.url },
  });
  expect(credential.status).toBe(201);
  const model = await stack.api('POST', '/api/models', {
    name: 'Scripted chat model',
    provider: 'openai-compatible',
    model: 'chat-1',
    credentialId: credential.body.credential.id,
  });
  expect(model.status).toBe(201);
  modelId = model.body.model.id;
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
  await llm?.stop();
});

async function publish(document: ReturnType<typeof docWith>): Promise<string> {
  const created = await stack.api('POST', '/api/workflows', { name: `Chat ${Date.now()}`, document });
  expect(created.status).toBe(201);
  const id = created.body.workflow.id as string;
  const published = await stack.api('POST', `/api/workflows/${id}/publish`);
  expect([published.status, published.body?.error?.message]).toEqual([201, undefined]);
  return id;
}

const chatWorkflow = () =>
  publish(
    docWith(
      [
        anyNode('Chat', 'chat-trigger', { title: 'HR assistant', welcome: 'Ask me to onboard someone.' }),
        anyNode('Assistant', 'agent', {
          model: modelId,
          system: 'You are the HR assistant.',
          prompt: '{{ $input.user.name }} asks: {{ $input.message }}',
          tools: [],
          conversation: 'chat',
          idleMinutes: 30,
        }),
      ],
      [chain('Chat', 'Assistant')],
    ),
  );

interface Session {
  runId: string;
  status: string;
  phase: string;
  lines: Array<{ role: string; text: string }>;
}

/** Reads the conversation until `done` holds; the limit only guards against a run that never gets there. */
async function sessionWhen(runId: string, done: (s: Session) => boolean): Promise<Session> {
  const limit = Date.now() + 60_000;
  for (;;) {
    const res = await stack.api('GET', `/api/chat/sessions/${runId}`);
    expect(res.status).toBe(200);
    if (done(res.body.session)) return res.body.session;
    if (Date.now() > limit) throw new Error(`Chat ${runId} is still ${JSON.stringify(res.body.session)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const say = (runId: string, text: unknown, token?: string) =>
  stack.api('POST', `/api/chat/sessions/${runId}/messages`, { text }, token ? { token } : {});

test('a conversation: the first message starts a run, the second is answered in the same run, closing ends it', async () => {
  await llm.script([
    { kind: 'text', text: 'Hello Owner! Who should I onboard?' },
    { kind: 'text', text: 'Jane Doe is set up to start on Monday.' },
  ]);
  const workflowId = await chatWorkflow();
  const started = await stack.api('POST', `/api/chat/${workflowId}/sessions`, { text: 'Hi' });
  expect(started.status).toBe(201);
  const runId = started.body.runId as string;

  const first = await sessionWhen(runId, (s) => s.lines.length === 2);
  expect(first).toMatchObject({ runId, status: 'running', phase: 'open' });
  // The person's words as typed, not the prompt that wraps them; no system prompt.
  expect(first.lines).toEqual([
    { seq: 1, role: 'user', text: 'Hi' },
    { seq: 2, role: 'assistant', text: 'Hello Owner! Who should I onboard?' },
  ]);

  expect((await say(runId, 'Onboard Jane Doe, start Monday')).status).toBe(202);
  const second = await sessionWhen(runId, (s) => s.lines.length === 4);
  expect(second.runId).toBe(runId);
  expect(second.lines.slice(2)).toEqual([
    { seq: 3, role: 'user', text: 'Onboard Jane Doe, start Monday' },
    { seq: 4, role: 'assistant', text: 'Jane Doe is set up to start on Monday.' },
  ]);
  // The model saw the whole conversation the second time.
  const requests = await llm.requests();
  expect(requests).toHaveLength(2);
  expect((requests[1].body as { messages: unknown[] }).messages).toEqual([
    { role: 'system', content: 'You are the HR assistant.' },
    { role: 'user', content: 'Owner asks: Hi' },
    { role: 'assistant', content: 'Hello Owner! Who should I onboard?' },
    { role: 'user', content: 'Onboard Jane Doe, start Monday' },
  ]);

  const list = await stack.api('GET', `/api/chat/${workflowId}/sessions`);
  expect(list.status).toBe(200);
  expect(list.body.sessions).toEqual([expect.objectContaining({ runId, title: 'Hi' })]);

  expect((await stack.api('POST', `/api/chat/sessions/${runId}/close`)).status).toBe(202);
  const run = await waitForRunStatus(stack, runId);
  expect([run.status, run.mode]).toEqual(['succeeded', 'chat']);
  expect(run.output.Assistant.answer).toBe('Jane Doe is set up to start on Monday.');
  const ended = await sessionWhen(runId, (s) => s.phase !== 'open');
  expect([ended.phase, ended.lines.length]).toEqual(['ended', 4]);

  const late = await say(runId, 'One more thing');
  expect(late.status).toBe(409);
  expect(late.body.error.message).toMatch(/has ended: start a new chat/);
  expect((await stack.api('POST', `/api/chat/sessions/${runId}/close`)).status).toBe(409);
}, 180_000);

test('another workspace’s chat reads as missing; a viewer may read but not write; a run that is not a chat is none', async () => {
  await llm.script([{ kind: 'text', text: 'Hello!' }]);
  const workflowId = await chatWorkflow();
  const started = await stack.api('POST', `/api/chat/${workflowId}/sessions`, { text: 'Hi' });
  expect(started.status).toBe(201);
  const runId = started.body.runId as string;
  await sessionWhen(runId, (s) => s.lines.length === 2);

  expect((await say(runId, 'Let me in', otherToken)).status).toBe(404);
  expect((await stack.api('GET', `/api/chat/sessions/${runId}`, undefined, { token: otherToken })).status).toBe(404);
  expect((await stack.api('POST', `/api/chat/sessions/${runId}/close`, undefined, { token: otherToken })).status).toBe(
    404,
  );
  const foreignStart = await stack.api(
    'POST',
    `/api/chat/${workflowId}/sessions`,
    { text: 'Hi' },
    { token: otherToken },
  );
  expect(foreignStart.status).toBe(404);
  expect((await stack.api('GET', `/api/chat/${workflowId}/sessions`, undefined, { token: otherToken })).status).toBe(
    404,
  );

  expect((await stack.api('GET', `/api/chat/sessions/${runId}`, undefined, { token: viewerToken })).status).toBe(200);
  expect((await say(runId, 'Hello from a viewer', viewerToken)).status).toBe(403);

  const plain = await publish(
    docWith([manualNode('Start'), anyNode('After', 'set-fields', { fields: { a: '1' } })], [chain('Start', 'After')]),
  );
  const refused = await stack.api('POST', `/api/chat/${plain}/sessions`, { text: 'Hi' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/does not start with a Chat trigger/);
  const manual = await stack.api('POST', '/api/runs', { workflowId: plain, version: 1 });
  expect(manual.status).toBe(201);
  expect((await say(manual.body.runId, 'Hi')).status).toBe(404);

  expect((await stack.api('POST', `/api/chat/sessions/${runId}/close`)).status).toBe(202);
  await waitForRunStatus(stack, runId);
}, 180_000);

test('empty and too long messages are refused with a clear 400, and nothing is sent', async () => {
  await llm.script([{ kind: 'text', text: 'Hello!' }]);
  const workflowId = await chatWorkflow();
  for (const text of ['', '   \n ']) {
    const res = await stack.api('POST', `/api/chat/${workflowId}/sessions`, { text });
    expect([res.status, res.body.error.message]).toEqual([
      400,
      'Invalid request: text: the message is empty; write something.',
    ]);
  }
  const missing = await stack.api('POST', `/api/chat/${workflowId}/sessions`, {});
  expect([missing.status, missing.body.error.message]).toEqual([
    400,
    'Invalid request: text: write the message in `text`.',
  ]);
  expect((await stack.api('GET', `/api/chat/${workflowId}/sessions`)).body.sessions).toEqual([]);

  const started = await stack.api('POST', `/api/chat/${workflowId}/sessions`, { text: 'x'.repeat(16_000) });
  expect(started.status).toBe(201);
  const runId = started.body.runId as string;
  await sessionWhen(runId, (s) => s.lines.length === 2);
  const long = await say(runId, 'y'.repeat(20_000));
  expect([long.status, long.body.error.message]).toEqual([
    400,
    'Invalid request: text: the message has 20000 characters; the limit is 16,000.',
  ]);
  expect((await say(runId, '')).status).toBe(400);
  expect((await say(runId, 42)).status).toBe(400);
  // Only the first message reached the model.
  expect(await llm.requests()).toHaveLength(1);
  expect((await sessionWhen(runId, () => true)).lines).toHaveLength(2);

  expect((await stack.api('POST', `/api/chat/sessions/${runId}/close`)).status).toBe(202);
  await waitForRunStatus(stack, runId);
}, 180_000);

test('a chat whose assistant fails says why, and takes no more messages', async () => {
  await llm.script([{ kind: 'error', status: 400, body: { error: { message: 'The model refused the request.' } } }]);
  const workflowId = await chatWorkflow();
  const started = await stack.api('POST', `/api/chat/${workflowId}/sessions`, { text: 'Hi' });
  expect(started.status).toBe(201);
  const runId = started.body.runId as string;
  const failed = await sessionWhen(runId, (s) => s.phase !== 'open');
  expect(failed).toMatchObject({ phase: 'failed', lines: [{ role: 'user', text: 'Hi' }] });
  expect((failed as Session & { error: string }).error).toMatch(/The model refused the request/);
  const late = await say(runId, 'Hello?');
  expect([late.status, late.body.error.message]).toEqual([409, `Chat ${runId} has failed: start a new chat to go on.`]);
}, 180_000);
