// Execute workflow nodes and error workflows, through the real web server and a real worker: a run starts another
// workflow's published version as a Temporal child, waits for its output or leaves it running, pins a version or
// takes the latest, and the runs link both ways. A failed run starts its workflow's error workflow.
import type { WorkflowDocument } from '../ir/types';
import { anyNode as node, chain, docWith, manualNode, setNode } from './web-test-documents';
import { runToEnd, startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('subworkflows', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function created(name: string, document: WorkflowDocument): Promise<string> {
  const res = await stack.api('POST', '/api/workflows', { name, document });
  expect(res.status).toBe(201);
  return res.body.workflow.id;
}

async function publish(id: string, document?: WorkflowDocument): Promise<void> {
  if (document) {
    const current = await stack.api('GET', `/api/workflows/${id}`);
    const saved = await stack.api('PUT', `/api/workflows/${id}`, {
      document,
      revision: current.body.workflow.revision,
    });
    expect(saved.status).toBe(200);
  }
  const res = await stack.api('POST', `/api/workflows/${id}/publish`);
  expect(res.status).toBe(201);
}

const run = (workflowId: string, input: unknown = {}) => runToEnd(stack, workflowId, input);

const greeter = (greeting: string) =>
  docWith([manualNode('t'), setNode('greet', { greeting: `${greeting} {{ $input.name }}` })], [chain('t', 'greet')]);

const caller = (workflowId: string, params: Record<string, unknown> = {}) =>
  docWith(
    [
      manualNode('t'),
      node('call', 'execute-workflow', { workflowId, input: '{{ { "name": $input.who } }}', ...params }),
      setNode('after', { after: 'yes' }),
    ],
    [chain('t', 'call'), chain('call', 'after')],
  );

test('waits for the child run and takes its output; the runs link both ways; versions pin or follow', async () => {
  const child = await created('Greeter', greeter('Hello'));
  await publish(child);
  await publish(child, greeter('Welcome')); // version 2

  const latest = await created('Caller latest', caller(child));
  const done = await run(latest, { who: 'Ada' });
  expect(done.status).toBe('succeeded');
  expect(done.output).toEqual({ after: { greet: { name: 'Ada', greeting: 'Welcome Ada' }, after: 'yes' } });

  const detail = await stack.api('GET', `/api/runs/${done.runId}`);
  expect(detail.body.children).toHaveLength(1);
  const childRun = detail.body.children[0];
  expect(childRun).toMatchObject({ workflowId: child, workflowVersion: 2, mode: 'subworkflow', status: 'succeeded' });
  const back = await stack.api('GET', `/api/runs/${childRun.runId}`);
  expect(back.body.run).toMatchObject({ parentRunId: done.runId, parentNodeId: 'call', trigger: { name: 'Ada' } });

  const pinned = await created('Caller pinned', caller(child, { version: '1' }));
  const old = await run(pinned, { who: 'Grace' });
  expect(old.output.after.greet.greeting).toBe('Hello Grace');
}, 120_000);

test('"start it and go on" outputs the child run id at once; the child finishes on its own', async () => {
  const slow = await created(
    'Slow child',
    docWith(
      [manualNode('t'), node('pause', 'wait', { mode: 'duration', amount: 2, unit: 'seconds' })],
      [chain('t', 'pause')],
    ),
  );
  await publish(slow);
  const parent = await created('Fire and forget', caller(slow, { mode: 'forget' }));
  const done = await run(parent, { who: 'Linus' });
  expect(done.status).toBe('succeeded');
  const started = done.output.after;
  expect(started).toMatchObject({ workflowId: slow, version: 1, after: 'yes' });
  const childRun = await stack.api('GET', `/api/runs/${started.runId}`);
  expect(['queued', 'running', 'succeeded']).toContain(childRun.body.run.status);
  expect((await waitForRunStatus(stack, started.runId)).status).toBe('succeeded');
}, 120_000);

test('an unpublished or failing child fails the node by name, and an error output can catch it', async () => {
  const draft = await created('Never published', greeter('Hi'));
  const parent = await created('Calls a draft', caller(draft));
  const failed = await run(parent);
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatchObject({ nodeName: 'call', code: 'subworkflow-unpublished' });
  expect(failed.error.message).toMatch(/"Never published" has no published version; publish it first/);

  const broken = await created(
    'Broken child',
    docWith(
      [manualNode('t'), node('stop', 'stop-and-error', { message: 'no such employee', code: 'not-found' })],
      [chain('t', 'stop')],
    ),
  );
  await publish(broken);
  const catching = await created(
    'Catches',
    docWith(
      [
        manualNode('t'),
        node('call', 'execute-workflow', { workflowId: broken }, { errorOutput: true }),
        setNode('handled', { handled: 'yes' }),
      ],
      [chain('t', 'call'), chain('call', 'handled', 'error')],
    ),
  );
  const caught = await run(catching);
  expect(caught.status).toBe('succeeded');
  expect(caught.output.handled.error).toMatchObject({ code: 'subworkflow-failed' });
  expect(caught.output.handled.error.message).toMatch(/"Broken child" \(run .*\) failed: .*no such employee/);
}, 120_000);

test('a failed run starts its error workflow with the summary; a workflow calling itself stops at the depth limit', async () => {
  const handler = await created(
    'On failure',
    docWith([manualNode('t'), setNode('note', { noted: 'yes' })], [chain('t', 'note')]),
  );
  await publish(handler);
  const failing: WorkflowDocument = {
    ...docWith(
      [manualNode('t'), node('stop', 'stop-and-error', { message: 'payroll export broke' })],
      [chain('t', 'stop')],
    ),
    settings: { errorWorkflowId: handler },
  };
  const main = await created('Fails', failing);
  const failed = await run(main);
  expect(failed.status).toBe('failed');
  const detail = await stack.api('GET', `/api/runs/${failed.runId}`);
  const errorRun = detail.body.children.find((c: { mode: string }) => c.mode === 'error');
  expect(errorRun).toBeDefined();
  const handled = await waitForRunStatus(stack, errorRun.runId);
  expect(handled.status).toBe('succeeded');
  expect(handled.trigger.failedRun).toMatchObject({
    runId: failed.runId,
    workflowId: main,
    workflowName: 'Fails',
    error: expect.objectContaining({ message: expect.stringContaining('payroll export broke') }),
  });

  const selfId = await created('Recursive', greeter('x'));
  await publish(selfId, caller(selfId));
  const deep = await run(selfId, { who: 'me' });
  expect(deep.status).toBe('failed');
  expect(deep.error.message).toMatch(/runs nest more than 8 deep/);
}, 180_000);
