// The dry run of listing tests with the real node runners (Set, Code in QuickJS, If, Merge) and a local HTTP server
// that must never be called: recorded side effects replay, a changed pure node fails naming it with the first
// difference, a side effect without a recording fails instead of running, and runners cannot reach the outside.
import type { ListingTest } from '../contracts/marketplace-tests';
import { loadRunner } from '../nodes/runners';
import { registry } from '../nodes/index';
import { compileOrThrow, workflowDoc, type DocNode } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';
import { dryRunTest, dryRunTests } from './dry-run';

let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(async () => {
  await sink.close();
});

/** trigger → HTTP → If → Set (yes) | Set (no) → Merge → Code (QuickJS); the HTTP node is the side effect. */
function plan(over: { label?: string; code?: string } = {}) {
  const nodes: DocNode[] = [
    { id: 'start', type: 'manual-trigger' },
    { id: 'call', type: 'http-request', params: { url: `${sink.url}/people/{{ $input.id }}` } },
    { id: 'ok', type: 'if', params: { left: '{{ $input.body.active }}', operator: 'isTrue' } },
    {
      id: 'yes',
      type: 'set-fields',
      params: { fields: { label: over.label ?? 'Active: {{ $input.body.name }}' }, keepInput: false },
    },
    { id: 'no', type: 'set-fields', params: { fields: { label: 'Inactive' }, keepInput: false } },
    { id: 'join', type: 'merge', params: { mode: 'first' } },
    { id: 'count', type: 'code', params: { code: over.code ?? 'return { words: input.label.split(" ").length };' } },
  ];
  return compileOrThrow(
    workflowDoc(nodes, [
      ['start', 'call'],
      ['call', 'ok'],
      ['ok:true', 'yes'],
      ['ok:false', 'no'],
      ['yes', 'join'],
      ['no', 'join'],
      ['join', 'count'],
    ]),
  );
}

const fixture = (over: Partial<ListingTest> = {}): ListingTest => ({
  name: 'an active person',
  trigger: { id: 7 },
  recorded: { call: { output: { status: 200, headers: {}, body: { active: true, name: 'Ada Lovelace' } } } },
  expect: {
    ok: { status: 200, headers: {}, body: { active: true, name: 'Ada Lovelace' } },
    yes: { label: 'Active: Ada Lovelace' },
    join: { label: 'Active: Ada Lovelace' },
    count: { words: 3 },
  },
  ...over,
});

it('passes when the real pure nodes produce the recorded run’s outputs, and calls nothing', async () => {
  await expect(dryRunTest(plan(), fixture())).resolves.toEqual({ test: 'an active person', passed: true });
  const inactive = fixture({
    name: 'an inactive person',
    recorded: { call: { output: { status: 200, headers: {}, body: { active: false } } } },
    expect: {
      ok: { status: 200, headers: {}, body: { active: false } },
      no: { label: 'Inactive' },
      join: { label: 'Inactive' },
      count: { words: 1 },
    },
  });
  await expect(dryRunTests(plan(), [fixture(), inactive])).resolves.toEqual({ passed: true, ran: 2 });
  expect(sink.requests).toHaveLength(0);
});

it('fails naming a changed pure node and the first difference', async () => {
  const changed = await dryRunTest(plan({ label: 'Active person: {{ $input.body.name }}' }), fixture());
  expect(changed).toEqual({
    test: 'an active person',
    passed: false,
    nodeId: 'yes',
    message:
      'Node "yes" (yes) output differs at label: expected "Active: Ada Lovelace", got "Active person: Ada Lovelace".',
  });
  const code = await dryRunTest(plan({ code: 'return { words: 99 };' }), fixture());
  expect(code.message).toBe('Node "count" (count) output differs at words: expected 3, got 99.');
  expect(sink.requests).toHaveLength(0);
});

it('fails when a branch goes another way than in the recorded run', async () => {
  const other = fixture({ recorded: { call: { output: { status: 200, headers: {}, body: { active: false } } } } });
  const outcome = await dryRunTest(plan(), other);
  expect(outcome).toMatchObject({ passed: false, nodeId: 'ok' });
  expect(outcome.message).toMatch(/^Node "ok" \(ok\) output differs at body.active: expected true, got false/);
});

it('fails when a node runs here that the recorded run skipped, or the reverse', async () => {
  const { join, ...withoutJoin } = fixture().expect;
  await expect(dryRunTest(plan(), fixture({ expect: withoutJoin }))).resolves.toMatchObject({
    nodeId: 'join',
    message: 'Node "join" (join) ran in the dry run, but it did not run in the recorded run.',
  });
  await expect(dryRunTest(plan(), fixture({ expect: { ...fixture().expect, no: join } }))).resolves.toMatchObject({
    nodeId: 'no',
    message: 'Node "no" (no) did not run in the dry run, but it ran in the recorded run.',
  });
});

it('refuses a side effect that has no recording instead of performing it', async () => {
  const outcome = await dryRunTest(plan(), fixture({ recorded: {} }));
  expect(outcome).toEqual({
    test: 'an active person',
    passed: false,
    nodeId: 'call',
    message:
      'Node "call" (call) is a http-request node, which has side effects, and test "an active person" has no recorded ' +
      'outcome for it: the dry run refuses to perform it. Attach the tests again from a run that reached it.',
  });
  expect(sink.requests).toHaveLength(0);
});

it('replays a recorded failure only where the node goes on after failing', async () => {
  const failed = fixture({ recorded: { call: { error: { message: 'HTTP 503', code: 'http-status' } } } });
  await expect(dryRunTest(plan(), failed)).resolves.toMatchObject({
    passed: false,
    nodeId: 'call',
    message: 'Node "call" (call) failed in the dry run: recorded failure: HTTP 503',
  });
});

it('gives runners a context that refuses every capability reaching outside the worker', async () => {
  const sneaky = async (type: string, version: number) => {
    if (type !== 'set-fields') return loadRunner(type, version);
    return async (ctx: Parameters<Awaited<ReturnType<typeof loadRunner>>>[0]) => {
      await ctx.once!('mail', async () => fetch(`${sink.url}/sent`));
      return {};
    };
  };
  const outcome = await dryRunTest(plan(), fixture(), { specs: registry, loadRunner: sneaky });
  expect(outcome).toMatchObject({
    passed: false,
    nodeId: 'yes',
    message: 'Node "yes" (yes) tried to perform a side effect during the dry run, which performs no side effects.',
  });
  const files = async (type: string, version: number) => {
    if (type !== 'set-fields') return loadRunner(type, version);
    return async (ctx: Parameters<Awaited<ReturnType<typeof loadRunner>>>[0]) =>
      ctx.files!.save({ name: 'a.txt', mimeType: 'text/plain', data: Buffer.from('x') });
  };
  await expect(dryRunTest(plan(), fixture(), { specs: registry, loadRunner: files })).resolves.toMatchObject({
    nodeId: 'yes',
    message: expect.stringContaining('tried to use files (save)'),
  });
  expect(sink.requests).toHaveLength(0);
});
