// Expressions and regexes over user data are bounded wherever they run: a limit fails the node that hit it
// (in the workflow for If, in an activity for Set fields) with `eval-limit`, once, while another run on the
// same worker, started at the same moment, completes.
import { listSteps } from '../db/steps';
import { evaluateBounded, WORKFLOW_EVAL_LIMITS } from '../ir/expression';
import { waitForRun } from '../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../test/run-harness';

let h: RunHarness;

beforeAll(async () => {
  h = await startRunHarness('eval_limits');
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const plan = (name: string, nodes: DocNode[], edges: Array<[string, string]>) =>
  compileOrThrow(workflowDoc([{ id: 'Start', type: 'manual-trigger' }, ...nodes], edges), `wf-${name}`);

const regexCheck = plan(
  'regex',
  [{ id: 'Check', type: 'if', params: { left: '{{ $trigger.text }}', operator: 'matchesRegex', right: '^(a|aa)+$' } }],
  [['Start', 'Check']],
);

const runawayCheck = plan(
  'runaway',
  [
    {
      id: 'Check',
      type: 'if',
      params: { left: '{{ ($loop := function($x){ $loop($x) }; $loop(1)) }}', operator: 'isTrue' },
    },
  ],
  [['Start', 'Check']],
);

const hugePad = plan(
  'pad',
  [{ id: 'Banner', type: 'set-fields', params: { fields: { banner: '{{ $pad("", 1e9, "=") }}' } } }],
  [['Start', 'Banner']],
);

const greeting = plan(
  'greeting',
  [
    { id: 'Greet', type: 'set-fields', params: { fields: { greeting: 'Hi {{ $trigger.name }}' } } },
    {
      id: 'Check',
      type: 'if',
      params: { left: '{{ $input.greeting }}', operator: 'matchesRegex', right: '^Hi (?<name>\\w+)$' },
    },
    { id: 'Done', type: 'set-fields', params: { fields: { done: true }, keepInput: true } },
  ],
  [
    ['Start', 'Greet'],
    ['Greet', 'Check'],
    ['Check:true', 'Done'],
  ],
);

test('each limit fails its own node with eval-limit while a run started alongside succeeds', async () => {
  const catastrophic = `${'a'.repeat(5000)}b`;
  const started = await Promise.all([
    h.start(regexCheck, { text: catastrophic }),
    h.start(regexCheck, { text: catastrophic.repeat(4) }),
    h.start(runawayCheck),
    h.start(hugePad),
    h.start(greeting, { name: 'Ada' }),
  ]);
  const [linear, tooLong, runaway, pad, healthy] = await Promise.all(started.map((runId) => waitForRun(runId, 60_000)));

  // RE2 answers the backtracking-prone pattern at once: no match, so the If routes to false.
  expect(linear).toMatchObject({ status: 'succeeded', output: { Check: { text: catastrophic } } });
  expect(tooLong).toMatchObject({ status: 'failed', error: { nodeName: 'Check', code: 'eval-limit' } });
  expect(tooLong.error!.message).toMatch(/value to match is 20004 characters; regex matching is limited to 10000/);

  // Evaluated inside the workflow, under the workflow's step budget.
  expect(runaway).toMatchObject({ status: 'failed', error: { nodeName: 'Check', code: 'eval-limit' } });
  // Over the workflow's budget, the If is evaluated again in an activity, whose larger budget it exceeds too.
  expect(runaway.error!.message).toMatch(/Param "left": Expression .* exceeded the evaluation budget of 1000000 steps/);

  expect(pad).toMatchObject({ status: 'failed', error: { nodeName: 'Banner', code: 'eval-limit' } });
  expect(pad.error!.message).toMatch(/Param "fields\.banner": Expression .* builds a padded string larger than/);
  const padSteps = await listSteps(started[3]);
  expect(padSteps.find((s) => s.nodeName === 'Banner')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'eval-limit' },
  });

  expect(healthy).toEqual({ status: 'succeeded', output: { Done: { name: 'Ada', greeting: 'Hi Ada', done: true } } });
}, 120_000);

test('a control node whose expression outgrows the workflow budget is evaluated in an activity and routes', async () => {
  const heavy = plan(
    'heavy',
    [
      {
        id: 'Check',
        type: 'if',
        params: { left: '{{ $count([1..20000].($ * 2)) }}', operator: 'equals', right: '20000' },
      },
      { id: 'Yes', type: 'set-fields', params: { fields: { routed: 'true' } } },
      { id: 'No', type: 'set-fields', params: { fields: { routed: 'false' } } },
    ],
    [
      ['Start', 'Check'],
      ['Check:true', 'Yes'],
      ['Check:false', 'No'],
    ],
  );
  // The workflow alone would refuse it: it needs more steps than workflow code may spend.
  const scope = { input: {}, trigger: {}, node: () => undefined, run: { id: 'r', workflowId: 'w' } };
  const { steps: needed } = await evaluateBounded('$count([1..20000].($ * 2))', scope);
  expect(needed).toBeGreaterThan(WORKFLOW_EVAL_LIMITS.maxSteps);
  const { runId, result, steps } = await h.run(heavy);
  await h.recordHistory('control-node-over-workflow-budget', runId);
  expect(result).toEqual({ status: 'succeeded', output: { Yes: { routed: 'true' } } });
  expect(steps.find((s) => s.nodeName === 'Check')).toMatchObject({ status: 'succeeded' });
  expect(steps.find((s) => s.nodeName === 'No')).toMatchObject({ status: 'skipped' });
});
