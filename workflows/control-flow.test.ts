// Control-flow shapes end to end (issue "Control flow"): documents compiled by the real compiler, run by a real
// worker process against Temporal and the Mongo-protocol server; HTTP nodes call a loopback sink.
import type { StepView } from '../db/steps';
import { compilePlan } from '../ir/compile';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';

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
