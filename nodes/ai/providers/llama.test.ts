// The embedded provider on a REAL node-llama-cpp (CPU) running the tiny random-weight model the suite writes itself:
// text streams through onText, grammar-held JSON parses and matches its schema, calls beyond the concurrency limit
// wait their turn, aborts and timeouts stop a call, and bad files or long prompts fail with a clear kind.
// Token budgets stay small: a token costs a noticeable fraction of a second on a busy 2-core machine.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { jest } from '@jest/globals';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ChatRequest, ModelReply } from '../../../contracts/ai';
import { SlotQueue, unloadLocalModels } from './llama-pool';
import { formatPrompt, llamaProvider } from './llama';
import { ensureTinyModel } from './tiny-gguf';
import { ModelCallError, type ModelTarget } from './types';

jest.setTimeout(180_000);

let target: ModelTarget;
let scratch: string;

beforeAll(async () => {
  target = { provider: 'local-gguf', model: await ensureTinyModel(), timeoutMs: 170_000 };
  scratch = await mkdtemp(path.join(tmpdir(), 'baton-llama-'));
});

afterAll(async () => {
  await unloadLocalModels();
  await rm(scratch, { recursive: true, force: true });
});

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content },
  ],
  ...extra,
});

function expectHonestUsage(reply: ModelReply) {
  expect(Number.isInteger(reply.usage.inputTokens) && reply.usage.inputTokens > 0).toBe(true);
  expect(Number.isInteger(reply.usage.outputTokens) && reply.usage.outputTokens > 0).toBe(true);
  expect(reply.computeMs).toEqual(expect.any(Number));
}

test('text streams through onText and the pieces add up to the reply', async () => {
  const pieces: string[] = [];
  const reply = await llamaProvider.chat(target, ask('Say hello.', { maxTokens: 8, onText: (d) => pieces.push(d) }));
  expect(pieces.length).toBeGreaterThan(0);
  expect(pieces.join('')).toBe(reply.text);
  expect(reply.toolCalls).toEqual([]);
  expect(reply.model).toBe(target.model);
  expectHonestUsage(reply);
  // The prompt is counted as the model reads it: at least one token per word of the transcript.
  expect(reply.usage.inputTokens).toBeGreaterThan(formatPrompt(ask('Say hello.').messages).split(' ').length);
  expect(reply.usage.outputTokens).toBeLessThanOrEqual(8);
});

test('JSON output is held to the schema by a grammar, even from random weights', async () => {
  // Short keys: this vocabulary spends a token per character, and a value's odd characters take several bytes each.
  const schema = {
    type: 'object',
    properties: { n: { type: 'string', maxLength: 3 }, k: { enum: ['a', 'b'] }, v: { type: 'number' } },
    required: ['n', 'k', 'v'],
  };
  const reply = await llamaProvider.chat(
    target,
    ask('Describe a thing.', { output: { kind: 'json', schema }, maxTokens: 48 }),
  );
  const parsed = z
    .object({ n: z.string().max(3), k: z.enum(['a', 'b']), v: z.number() })
    .strict()
    .safeParse(JSON.parse(reply.text));
  expect(parsed.error).toBeUndefined();
  expect(reply.finishReason).toBe('stop');
  expectHonestUsage(reply);
});

test('two calls on one sequence (concurrency 1) both finish, the second after the first', async () => {
  const events: string[] = [];
  const call = (name: string) =>
    llamaProvider
      .chat(target, ask(`Call ${name}.`, { maxTokens: 6, onText: () => events.push(name) }))
      .then((reply) => (events.push(`${name} done`), reply));
  const [first, second] = await Promise.all([call('first'), call('second')]);
  expectHonestUsage(first);
  expectHonestUsage(second);
  expect(events.indexOf('first done')).toBeLessThan(events.indexOf('second'));
});

test('an abort stops a running call', async () => {
  const controller = new AbortController();
  const call = llamaProvider.chat(
    target,
    ask('Go on.', { maxTokens: 40, signal: controller.signal, onText: () => controller.abort() }),
  );
  await expect(call).rejects.toMatchObject({ name: 'AbortError' });
});

test('a waiter whose signal aborts leaves the line and the next one runs', async () => {
  const waiting = new AbortController();
  // The waiter gives up once the running call is producing text, so it is surely queued by then.
  const running = llamaProvider.chat(target, ask('First.', { maxTokens: 6, onText: () => waiting.abort() }));
  const gaveUp = llamaProvider.chat(target, ask('Wait.', { maxTokens: 4, signal: waiting.signal }));
  const after = llamaProvider.chat(target, ask('Then me.', { maxTokens: 4 }));
  await expect(gaveUp).rejects.toMatchObject({ name: 'AbortError' });
  expectHonestUsage(await running);
  expectHonestUsage(await after);
});

test('a call past its timeout fails as a timeout', async () => {
  const call = llamaProvider.chat({ ...target, timeoutMs: 1 }, ask('Slowly.', { maxTokens: 40 }));
  await expect(call).rejects.toMatchObject({ name: 'ModelCallError', kind: 'timeout' });
});

test('a missing file or one that is not GGUF is a bad request naming the path', async () => {
  const missing = path.join(scratch, 'nowhere.gguf');
  const missingCall = llamaProvider.chat({ ...target, model: missing }, ask('Hi.'));
  await expect(missingCall).rejects.toThrow(ModelCallError);
  await expect(missingCall).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringContaining(missing) });

  const notGguf = path.join(scratch, 'notes.gguf');
  await writeFile(notGguf, 'just some text, not a model');
  await expect(llamaProvider.chat({ ...target, model: notGguf }, ask('Hi.'))).rejects.toMatchObject({
    kind: 'bad-request',
    message: expect.stringMatching(/notes\.gguf is not a GGUF file/),
  });
});

test('a prompt longer than the context is a context overflow', async () => {
  const call = llamaProvider.chat(target, ask('x'.repeat(2100), { maxTokens: 4 }));
  await expect(call).rejects.toMatchObject({ kind: 'context-overflow', message: expect.stringContaining('2048') });
});

test('probe reports grammar JSON, no native tools and the context window', async () => {
  const capabilities = await llamaProvider.probe(target);
  expect(capabilities).toMatchObject({ toolCalling: false, json: 'grammar', vision: false, contextLength: 2048 });
  expect(capabilities.notes).toContain('tools via JSON grammar protocol');
  expect(capabilities.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^runs on (CPU|\w+)$/)]));
});

test('the slot queue serves waiters in arrival order and drops one whose signal aborts', async () => {
  const queue = new SlotQueue(['only']);
  const held = await queue.acquire();
  const order: string[] = [];
  const quitter = new AbortController();
  const a = queue.acquire().then((item) => (order.push('a'), item));
  const b = queue.acquire(quitter.signal).then(() => order.push('b'));
  const c = queue.acquire().then((item) => (order.push('c'), item));
  expect(queue.waiters).toBe(3);
  quitter.abort();
  await expect(b).rejects.toMatchObject({ name: 'AbortError' });
  expect(queue.waiters).toBe(2);
  queue.release(held);
  queue.release(await a);
  await c;
  expect(order).toEqual(['a', 'c']);
});
