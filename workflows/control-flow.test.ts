// Control-flow shapes end to end (issue "Control flow"): documents compiled by the real compiler, run by a real
// worker process against Temporal and the Mongo-protocol server; HTTP nodes call a loopback sink.
import { compilePlan } from '../ir/compile';
import { savePlan } from '../db/plans';
import { createWorkflow, publishVersion } from '../db/workflows';
import { getTemporalClient, resumeWait, waitForRun } from '../temporal/client';
import { listSteps, type StepView } from '../db/steps';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';
import { systemScope } from '../db/workspaces';

const TEST_SCOPE = systemScope('ws_test');

let h: RunHarness;
let sink: Sink;

beforeAll(async () => {
  h = await startRunHarness('control-flow');
  sink = await startSink();
  sink.handle(async (req, res) => {
    const status = req.path.startsWith('/status/') ? Number(req.path.slice('/status/'.length)) : 200;
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.path }));
  });
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await sink?.close();
  await h?.close();
});

const trigger = { id: 'Start', type: 'manual-trigger' };
const set = (id: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'set-fields',
  params: { fields, ...extra },
});
const byName = (steps: StepView[]) => Object.fromEntries(steps.map((s) => [s.nodeName, s]));

describe('Switch', () => {
  const bands = (extra: Record<string, unknown> = {}) => ({
    id: 'Band',
    type: 'switch',
    params: {
      rules: [
        { output: 'Small', value: '{{ $input.amount }}', operator: 'lt', compare: 100 },
        { output: 'Medium', value: '{{ $input.amount }}', operator: 'lt', compare: 10000 },
        { output: 'Euro', value: '{{ $input.currency = "EUR" }}', operator: 'isTrue' },
      ],
      ...extra,
    },
  });
  const doc = (extra: Record<string, unknown> = {}) =>
    workflowDoc(
      [
        trigger,
        bands(extra),
        set('IsSmall', { band: 'small' }),
        set('IsMedium', { band: 'medium' }),
        set('IsEuro', { band: 'euro' }),
        set('Other', { band: 'other' }),
      ],
      [
        ['Start', 'Band'],
        ['Band:0', 'IsSmall'],
        ['Band:1', 'IsMedium'],
        ['Band:2', 'IsEuro'],
        ...(extra.fallbackOutput === false ? [] : ([['Band:fallback', 'Other']] as Array<[string, string]>)),
      ],
    );
  const ran = (steps: StepView[]) =>
    Object.fromEntries(
      steps.filter((s) => s.nodeName !== 'Start' && s.nodeName !== 'Band').map((s) => [s.nodeName, s.status]),
    );

  test('routes by the first matching rule, and unmatched input down the fallback output', async () => {
    const plan = compileOrThrow(doc(), 'wf-switch');
    const small = await h.run(plan, { amount: 20, currency: 'EUR' });
    await h.recordHistory('switch-rules', small.runId);
    expect(small.result).toEqual({
      status: 'succeeded',
      output: { IsSmall: { amount: 20, currency: 'EUR', band: 'small' } },
    });
    expect(ran(small.steps)).toEqual({
      IsSmall: 'succeeded',
      IsMedium: 'skipped',
      IsEuro: 'skipped',
      Other: 'skipped',
    });

    const medium = await h.run(plan, { amount: 500, currency: 'USD' });
    expect(ran(medium.steps)).toEqual({
      IsSmall: 'skipped',
      IsMedium: 'succeeded',
      IsEuro: 'skipped',
      Other: 'skipped',
    });

    const other = await h.run(plan, { amount: 50_000, currency: 'USD' });
    expect(ran(other.steps)).toEqual({
      IsSmall: 'skipped',
      IsMedium: 'skipped',
      IsEuro: 'skipped',
      Other: 'succeeded',
    });
  });

  test('sends the input down every matching output when asked', async () => {
    const { result, steps } = await h.run(compileOrThrow(doc({ allMatching: true }), 'wf-switch-all'), {
      amount: 20,
      currency: 'EUR',
    });
    expect(result.status).toBe('succeeded');
    expect(ran(steps)).toEqual({ IsSmall: 'succeeded', IsMedium: 'succeeded', IsEuro: 'succeeded', Other: 'skipped' });
  });

  test('without a fallback output, unmatched input stops at the Switch and the run still succeeds', async () => {
    const { result, steps } = await h.run(compileOrThrow(doc({ fallbackOutput: false }), 'wf-switch-nofb'), {
      amount: 50_000,
    });
    expect(result).toEqual({ status: 'succeeded', output: {} });
    expect(ran(steps)).toEqual({ IsSmall: 'skipped', IsMedium: 'skipped', IsEuro: 'skipped' });
  });

  test('the compiler names the rule and field of a bad rule, and an edge from a rule that no longer exists', () => {
    const bad = doc();
    bad.nodes[1].params.rules = [{ value: 1, operator: 'biggerThan', compare: 2 }];
    const compiled = compilePlan(bad, { workflowId: 'wf-bad', name: 'bad' });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    const messages = compiled.diagnostics.map((d) => d.message);
    expect(messages).toContainEqual(expect.stringMatching(/Band: Param "rules\[0\]\.operator": must be one of equals/));
    expect(messages).toContainEqual(
      expect.stringMatching(/leaves "Band" from port "1", which this Switch does not have/),
    );
  });
});

describe('error handling per node', () => {
  test('an error output routes the classified error down its own branch; the normal branch is skipped', async () => {
    const doc = workflowDoc(
      [
        trigger,
        {
          id: 'Call',
          type: 'http-request',
          params: { url: `${sink.url}/status/503` },
          policy: { errorOutput: true, retry: { maximumAttempts: 1, initialIntervalMs: 0, backoffCoefficient: 1 } },
        },
        set('Used', { ok: true }),
        set('Handled', { handled: true }),
      ],
      [
        ['Start', 'Call'],
        ['Call:out', 'Used'],
        ['Call:error', 'Handled'],
      ],
    );
    const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-error-output'));
    await h.recordHistory('error-output-activity', runId);
    expect(result).toEqual({
      status: 'succeeded',
      output: { Handled: { error: { message: expect.stringContaining('503'), code: 'http-status' }, handled: true } },
    });
    const s = byName(steps);
    expect(s.Call).toMatchObject({ status: 'failed', output: { error: { code: 'http-status' } } });
    expect(s.Used.status).toBe('skipped');
    expect(s.Handled.status).toBe('succeeded');
  });

  test('a node that succeeds never sends anything down its error output', async () => {
    const doc = workflowDoc(
      [
        trigger,
        { id: 'Call', type: 'http-request', params: { url: `${sink.url}/fine` }, policy: { errorOutput: true } },
        set('Used', { ok: true }, { keepInput: false }),
        set('Handled', { handled: true }),
      ],
      [
        ['Start', 'Call'],
        ['Call:out', 'Used'],
        ['Call:error', 'Handled'],
      ],
    );
    const { result, steps } = await h.run(compileOrThrow(doc, 'wf-error-output-ok'));
    expect(result).toEqual({ status: 'succeeded', output: { Used: { ok: true } } });
    expect(byName(steps).Handled.status).toBe('skipped');
  });

  test('pure nodes in a chain and control nodes route their failures to the error output too', async () => {
    const doc = workflowDoc(
      [
        trigger,
        set('Prepare', { n: 1 }),
        set('Broken', { x: '{{ $notAFunction() }}' }, {}),
        set('AfterBroken', { never: true }),
        set('BrokenHandled', { chain: 'handled' }, { keepInput: false }),
        { id: 'Check', type: 'if', params: { left: '{{ $missing() }}', operator: 'isTrue' } },
        set('CheckHandled', { control: 'handled' }, { keepInput: false }),
        { id: 'Join', type: 'merge', params: { mode: 'append' } },
      ],
      [
        ['Start', 'Prepare'],
        ['Prepare', 'Broken'],
        ['Broken:out', 'AfterBroken'],
        ['Broken:error', 'BrokenHandled'],
        ['Start', 'Check'],
        ['Check:error', 'CheckHandled'],
        ['BrokenHandled', 'Join'],
        ['CheckHandled', 'Join'],
        ['AfterBroken', 'Join'],
      ],
    );
    doc.nodes.find((n) => n.id === 'Broken')!.policy = { errorOutput: true };
    doc.nodes.find((n) => n.id === 'Check')!.policy = { errorOutput: true };
    const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-error-output-pure'));
    await h.recordHistory('error-output-pure-and-control', runId);
    expect(result).toEqual({ status: 'succeeded', output: { Join: [{ chain: 'handled' }, { control: 'handled' }] } });
    const s = byName(steps);
    expect(s.Broken).toMatchObject({ status: 'failed', output: { error: { code: 'expression' } } });
    expect(s.Check).toMatchObject({
      status: 'failed',
      output: { error: { message: expect.stringContaining('$missing') } },
    });
    expect(s.AfterBroken.status).toBe('skipped');
  });

  test('continue on fail now also lets a failed control node go on, with its error as output', async () => {
    const doc = workflowDoc(
      [
        trigger,
        {
          id: 'Check',
          type: 'if',
          params: { left: '{{ $missing() }}', operator: 'isTrue' },
          policy: { continueOnFail: true },
        },
        set('OnTrue', { t: true }),
        set('OnFalse', { f: true }),
      ],
      [
        ['Start', 'Check'],
        ['Check:true', 'OnTrue'],
        ['Check:false', 'OnFalse'],
      ],
    );
    const { result, steps } = await h.run(compileOrThrow(doc, 'wf-continue-control'));
    expect(result.status).toBe('succeeded');
    expect(byName(steps).OnTrue).toMatchObject({ status: 'succeeded', output: { error: expect.anything(), t: true } });
    expect(byName(steps).OnFalse).toMatchObject({ status: 'succeeded', output: { error: expect.anything(), f: true } });
  });
});

describe('Wait', () => {
  test('waits for a duration and until a time (a time past goes on at once)', async () => {
    const doc = workflowDoc(
      [
        trigger,
        { id: 'Pause', type: 'wait', params: { mode: 'duration', amount: 1, unit: 'seconds' } },
        { id: 'Past', type: 'wait', params: { mode: 'until', until: '{{ $input.at }}' } },
        set('Done', { done: true }),
      ],
      [
        ['Start', 'Pause'],
        ['Pause', 'Past'],
        ['Past', 'Done'],
      ],
    );
    const began = Date.now();
    const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-wait-time'), { at: '2020-01-01T00:00:00Z' });
    await h.recordHistory('wait-duration-until', runId);
    expect(result).toEqual({ status: 'succeeded', output: { Done: { at: '2020-01-01T00:00:00Z', done: true } } });
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    const pause = byName(steps).Pause;
    expect(new Date(pause.endedAt!).getTime() - new Date(pause.startedAt!).getTime()).toBeGreaterThanOrEqual(1000);
  });

  test('a time that is not a time fails the node, naming the param', async () => {
    const doc = workflowDoc(
      [trigger, { id: 'Bad', type: 'wait', params: { mode: 'until', until: 'next tuesday' } }],
      [['Start', 'Bad']],
    );
    const { result } = await h.run(compileOrThrow(doc, 'wf-wait-bad'));
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/Param "until": "next tuesday" is not a time/);
  });

  test('a signal wait resumes with what the caller sent; a second resume is refused', async () => {
    const doc = workflowDoc(
      [trigger, { id: 'Hold', type: 'wait', params: { mode: 'signal', timeoutAmount: 1, timeoutUnit: 'minutes' } }],
      [['Start', 'Hold']],
    );
    const runId = await h.start(compileOrThrow(doc, 'wf-wait-signal'));
    await expect(resumeWait(runId, { nodeId: 'Start', source: 'signal', data: 1 })).rejects.toThrow(
      /no Wait node "Start"/,
    );
    await expect(resumeWait(runId, { nodeId: 'Hold', source: 'webhook', data: 1 })).rejects.toThrow(
      /waits for a resume through the API, not for its resume link/,
    );
    await resumeWait(runId, { nodeId: 'Hold', source: 'signal', data: { go: true } });
    // Refused by the node (already resumed), or by Temporal once the run has ended right after the first resume.
    await expect(resumeWait(runId, { nodeId: 'Hold', source: 'signal', data: 2 })).rejects.toThrow(
      /already resumed|not running/,
    );
    const result = await waitForRun(runId, 30_000);
    await h.recordHistory('wait-signal', runId);
    expect(result).toEqual({ status: 'succeeded', output: { Hold: { go: true } } });
  });
});

describe('Loop over items', () => {
  const loop = (params: Record<string, unknown> = {}) => ({ id: 'Each', type: 'loop-over-items', params });

  test('runs the body once per item, records each iteration, and collects the results in order', async () => {
    const doc = workflowDoc(
      [
        trigger,
        loop({ concurrency: 3 }),
        set('Double', { doubled: '{{ $input.n * 2 }}' }),
        { id: 'After', type: 'code', params: { code: 'return { results: input };' } },
      ],
      [
        ['Start', 'Each:in'],
        ['Each:body', 'Double'],
        ['Double', 'Each:loopEnd'],
        ['Each:done', 'After'],
      ],
    );
    const items = [1, 2, 3, 4, 5].map((n) => ({ n }));
    const { runId, result, steps } = await h.run(compileOrThrow(doc, 'wf-loop'), items);
    await h.recordHistory('loop-over-items', runId);
    expect(result.status).toBe('succeeded');
    const after = (result.output as { After: { results: unknown[] } }).After;
    expect(after.results).toEqual(items.map(({ n }) => ({ n, doubled: n * 2 })));
    const doubles = steps.filter((s) => s.nodeName === 'Double');
    expect(doubles.map((s) => s.iteration).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(doubles.every((s) => s.status === 'succeeded')).toBe(true);
    const eachSteps = steps.filter((s) => s.nodeName === 'Each').sort((a, b) => a.iteration - b.iteration);
    expect(eachSteps.map((s) => [s.iteration, s.status])).toEqual([
      [0, 'succeeded'],
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'succeeded'],
      [5, 'succeeded'],
    ]);
    expect(eachSteps[2]).toMatchObject({ input: { n: 2 }, output: { n: 2, doubled: 4 } });
  });

  test('batches, an input that is not a list, and an empty list', async () => {
    const doc = workflowDoc(
      [
        trigger,
        loop({ batchSize: 2 }),
        { id: 'Count', type: 'code', params: { code: 'return { size: input.length };' } },
      ],
      [
        ['Start', 'Each:in'],
        ['Each:body', 'Count'],
        ['Count', 'Each:loopEnd'],
      ],
    );
    const plan = compileOrThrow(doc, 'wf-loop-batches');
    const batched = await h.run(plan, [1, 2, 3, 4, 5]);
    expect(batched.result).toEqual({
      status: 'succeeded',
      output: { Each: { done: [{ size: 2 }, { size: 2 }, { size: 1 }], failed: [] } },
    });
    const empty = await h.run(plan, []);
    expect(empty.result).toEqual({ status: 'succeeded', output: { Each: { done: [], failed: [] } } });
  });

  test('with "go on", failed iterations send their items down "Failed items"; otherwise the run fails naming the node and iteration', async () => {
    const build = (onItemFailure: string) =>
      workflowDoc(
        [
          trigger,
          loop({ onItemFailure, concurrency: 2 }),
          {
            id: 'Call',
            type: 'http-request',
            params: { url: `${sink.url}/status/{{ $input.code }}` },
            policy: { retry: { maximumAttempts: 1, initialIntervalMs: 1, backoffCoefficient: 1 } },
          },
          set('Kept', { kept: true }, { keepInput: false }),
          ...(onItemFailure === 'continue'
            ? [{ id: 'Failures', type: 'code', params: { code: 'return input;' } }]
            : []),
        ],
        [
          ['Start', 'Each:in'],
          ['Each:body', 'Call'],
          ['Call', 'Kept'],
          ['Kept', 'Each:loopEnd'],
          ...(onItemFailure === 'continue' ? ([['Each:failed', 'Failures']] as Array<[string, string]>) : []),
        ],
      );
    const items = [{ code: 200 }, { code: 500 }, { code: 201 }];
    const going = await h.run(compileOrThrow(build('continue'), 'wf-loop-continue'), items);
    expect(going.result.status).toBe('succeeded');
    const out = going.result.output as { Failures: unknown };
    expect(out.Failures).toEqual([{ item: { code: 500 }, error: expect.objectContaining({ code: 'http-status' }) }]);
    const loopStep = going.steps.find((s) => s.nodeName === 'Each' && s.iteration === 0);
    expect(loopStep?.output).toMatchObject({ done: [{ kept: true }, { kept: true }] });

    const stopping = await h.run(compileOrThrow(build('stop'), 'wf-loop-stop'), items);
    expect(stopping.result.status).toBe('failed');
    expect(stopping.result.error).toMatchObject({ nodeName: 'Call', code: 'http-status' });
    expect(stopping.result.error?.message).toMatch(/in iteration 2 of "Each"/);
  });

  test('the compiler keeps a body closed and names the node at fault', () => {
    const doc = workflowDoc(
      [trigger, loop(), set('Body', { x: 1 }), { id: 'Join', type: 'merge' }],
      [
        ['Start', 'Each:in'],
        ['Each:body', 'Body'],
        ['Body', 'Each:loopEnd'],
        ['Body', 'Join'],
        ['Each:done', 'Join'],
      ],
    );
    const compiled = compilePlan(doc, { workflowId: 'wf-loop-bad', name: 'bad' });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'loop-body-entry',
        nodeId: 'Join',
        message: expect.stringContaining('Join: it runs in the body of "Each"'),
      }),
    );
    const open = workflowDoc(
      [trigger, loop(), set('Body', { x: 1 })],
      [
        ['Start', 'Each:in'],
        ['Each:body', 'Body'],
      ],
    );
    const unfinished = compilePlan(open, { workflowId: 'wf-loop-open', name: 'open' });
    expect(unfinished.ok).toBe(false);
    if (!unfinished.ok)
      expect(unfinished.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'loop-end-unconnected', nodeId: 'Each' }),
      );
  });
});

describe('Repeat until', () => {
  const polls = new Map<string, number>();
  beforeAll(() =>
    sink.handle(async (req, res) => {
      if (req.path.startsWith('/poll/')) {
        const n = (polls.get(req.path) ?? 0) + 1;
        polls.set(req.path, n);
        return void res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ status: n >= 3 ? 'ready' : 'pending', n }));
      }
      const status = req.path.startsWith('/status/') ? Number(req.path.slice('/status/'.length)) : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.path }));
    }),
  );
  const doc = (id: string, maxIterations: number) =>
    workflowDoc(
      [
        trigger,
        {
          id: 'Poll',
          type: 'repeat-until',
          params: {
            left: '{{ $input.body.status }}',
            operator: 'equals',
            right: 'ready',
            maxIterations,
            delayAmount: 0.2,
          },
        },
        { id: 'Ask', type: 'http-request', params: { url: `${sink.url}/poll/${id}` } },
        set('Ready', { ready: true }, { keepInput: false }),
        set('GaveUp', { gaveUp: true }, { keepInput: false }),
      ],
      [
        ['Start', 'Poll:in'],
        ['Poll:body', 'Ask'],
        ['Ask', 'Poll:loopEnd'],
        ['Poll:done', 'Ready'],
        ['Poll:maxReached', 'GaveUp'],
      ],
    );

  test('repeats the body until the condition holds on its result', async () => {
    const { runId, result, steps } = await h.run(compileOrThrow(doc('a', 10), 'wf-repeat'));
    await h.recordHistory('repeat-until', runId);
    expect(result).toEqual({ status: 'succeeded', output: { Ready: { ready: true } } });
    expect(
      steps
        .filter((s) => s.nodeName === 'Ask')
        .map((s) => s.iteration)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(byName(steps).GaveUp.status).toBe('skipped');
  });

  test('goes down "Max reached" with the last result when the condition never held', async () => {
    const { result } = await h.run(compileOrThrow(doc('b', 2), 'wf-repeat-max'));
    expect(result).toEqual({ status: 'succeeded', output: { GaveUp: { gaveUp: true } } });
    expect(polls.get('/poll/b')).toBe(2);
  });
});

describe('long loops', () => {
  test('a loop continues as new before its history grows too long, and every iteration is recorded', async () => {
    const doc = workflowDoc(
      [
        trigger,
        { id: 'Each', type: 'loop-over-items', params: { concurrency: 4 } },
        set('Tag', { tagged: '{{ $input.n + 1000 }}' }),
        {
          id: 'Count',
          type: 'code',
          params: { code: 'return { count: input.length, last: input.at(-1) };' },
        },
      ],
      [
        ['Start', 'Each:in'],
        ['Each:body', 'Tag'],
        ['Tag', 'Each:loopEnd'],
        ['Each:done', 'Count'],
      ],
    );
    const items = Array.from({ length: 120 }, (_, i) => ({ n: i + 1 }));
    // A pure body runs 50 iterations per local activity (workflows/loop-batches.ts): 120 of them need few events.
    const runId = await h.start(compileOrThrow(doc, 'wf-loop-long'), items, { loopHistoryEvents: 6 });
    const result = await waitForRun(runId, 60_000);
    expect(result).toEqual({ status: 'succeeded', output: { Count: { count: 120, last: { n: 120, tagged: 1120 } } } });
    const handle = (await getTemporalClient()).workflow.getHandle(`${runId}--loop-Each`);
    // The child's latest execution started from a continue-as-new: its first event says so.
    const history = await handle.fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    const steps = await listSteps(runId);
    const tags = steps.filter((s) => s.nodeName === 'Tag');
    expect(new Set(tags.map((s) => s.iteration)).size).toBe(120);
  }, 150_000);
});

describe('Execute workflow', () => {
  test('runs a published workflow as a child run and takes its output', async () => {
    const childDoc = workflowDoc(
      [trigger, set('Greet', { greeting: 'Hello {{ $input.name }}' })],
      [['Start', 'Greet']],
    );
    const child = await createWorkflow(TEST_SCOPE, { name: 'Greeter', ownerId: 'owner', document: childDoc });
    const childPlan = compileOrThrow(childDoc, child.id, 'Greeter');
    await savePlan(childPlan);
    await publishVersion(TEST_SCOPE, {
      workflowId: child.id,
      document: childDoc,
      planHash: childPlan.hash,
      createdBy: 'owner',
    });
    const doc = workflowDoc(
      [
        trigger,
        {
          id: 'Call',
          type: 'execute-workflow',
          params: { workflowId: child.id, input: '{{ { "name": $input.who } }}' },
        },
      ],
      [['Start', 'Call']],
    );
    const { runId, result } = await h.run(compileOrThrow(doc, 'wf-subworkflow'), { who: 'Ada' });
    await h.recordHistory('execute-workflow', runId);
    expect(result).toEqual({
      status: 'succeeded',
      output: { Call: { Greet: { name: 'Ada', greeting: 'Hello Ada' } } },
    });
  });
});
