// Run history for loops and child runs, through the real web server and a real worker: the steps API lists only
// top-level steps with a summary per loop, serves one iteration at a time (naming the field when the number is
// wrong), and a run another started names that run, its workflow and node, while the parent lists it by name.
import type { DocumentNode } from '../ir/types';
import { anyNode as node, chain, docWith, manualNode, setNode } from './web-test-documents';
import { runToEnd, startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('run-history', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function created(name: string, nodes: DocumentNode[], edges: ReturnType<typeof chain>[]): Promise<string> {
  const res = await stack.api('POST', '/api/workflows', { name, document: docWith(nodes, edges) });
  expect(res.status).toBe(201);
  return res.body.workflow.id;
}

const run = (workflowId: string, input: unknown = {}) => runToEnd(stack, workflowId, input);

const byNode = (steps: Array<{ nodeId: string }>) => Object.fromEntries(steps.map((s) => [s.nodeId, s]));

test('steps: top level plus a summary per loop, then one iteration at a time', async () => {
  const workflowId = await created(
    'Loop history',
    [
      manualNode('t'),
      node('Each', 'loop-over-items', { onItemFailure: 'continue' }),
      node(
        'Check',
        'code',
        { code: 'if (input.n === 2) throw new Error("two is refused"); return input;' },
        { retry: { maximumAttempts: 1, initialIntervalMs: 1, backoffCoefficient: 1 } },
      ),
      setNode('Tag', { tagged: '{{ $input.n * 10 }}' }),
      setNode('After', { after: 'yes' }),
    ],
    [
      chain('t', 'Each'),
      chain('Each', 'Check', 'body'),
      chain('Check', 'Tag'),
      chain('Tag', 'Each', 'out', 'loopEnd'),
      chain('Each', 'After', 'done'),
    ],
  );
  const done = await run(workflowId, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  expect(done.status).toBe('succeeded');
  const base = `/api/runs/${done.runId}/steps`;

  const top = await stack.api('GET', base);
  expect(top.status).toBe(200);
  expect(top.body.steps.map((s: { nodeId: string }) => s.nodeId).sort()).toEqual(['After', 'Each', 't']);
  expect(top.body.steps.every((s: { iteration: number }) => s.iteration === 0)).toBe(true);
  expect(byNode(top.body.steps).Each).toMatchObject({ status: 'succeeded', output: { done: expect.any(Array) } });
  expect(top.body.loops).toEqual([{ nodeId: 'Each', iterations: 3, failed: 1, body: ['Check', 'Tag'] }]);

  const second = await stack.api('GET', `${base}?iteration=2`);
  expect(second.status).toBe(200);
  expect(second.body).toMatchObject({ iteration: 2, iterations: 3 });
  const two = byNode(second.body.steps);
  expect(Object.keys(two).sort()).toEqual(['Check', 'Each']);
  expect(two.Each).toMatchObject({ iteration: 2, status: 'failed', input: { n: 2 } });
  expect(two.Check).toMatchObject({
    iteration: 2,
    status: 'failed',
    error: { message: expect.stringContaining('two is refused') },
  });

  const third = await stack.api('GET', `${base}?iteration=3&loop=Each`);
  const three = byNode(third.body.steps);
  expect(three.Tag).toMatchObject({ iteration: 3, status: 'succeeded', output: { n: 3, tagged: 30 } });
  expect(three.Each).toMatchObject({ status: 'succeeded', input: { n: 3 }, output: { n: 3, tagged: 30 } });

  for (const wrong of ['0', '4', '1.5', 'two', '']) {
    const res = await stack.api('GET', `${base}?iteration=${wrong}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`iteration must be a whole number from 1 to 3, not "${wrong}".`);
  }
  const notLoop = await stack.api('GET', `${base}?iteration=1&loop=t`);
  expect(notLoop.status).toBe(400);
  expect(notLoop.body.error.message).toMatch(/^loop: node "t" is not a loop node/);
}, 120_000);

test('a child run names its parent run, workflow and node; the parent lists its children by workflow name', async () => {
  const child = await created(
    'Greeter child',
    [manualNode('t'), setNode('greet', { hi: 'yes' })],
    [chain('t', 'greet')],
  );
  expect((await stack.api('POST', `/api/workflows/${child}/publish`)).status).toBe(201);
  const parent = await created(
    'Greeter parent',
    [manualNode('t'), node('call', 'execute-workflow', { workflowId: child })],
    [chain('t', 'call')],
  );
  const done = await run(parent, {});
  expect(done.status).toBe('succeeded');

  const detail = await stack.api('GET', `/api/runs/${done.runId}`);
  expect(detail.body.parent).toBeUndefined();
  expect(detail.body.children).toEqual([
    expect.objectContaining({ workflowId: child, workflowName: 'Greeter child', status: 'succeeded' }),
  ]);
  const back = await stack.api('GET', `/api/runs/${detail.body.children[0].runId}`);
  expect(back.body.parent).toEqual({
    runId: done.runId,
    workflowId: parent,
    workflowName: 'Greeter parent',
    status: 'succeeded',
    nodeId: 'call',
    nodeName: 'call',
  });
}, 120_000);
