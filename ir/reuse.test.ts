// Which nodes a retry takes over (ir/reuse.ts), on plans compiled by the real compiler.
import { compileOrThrow, workflowDoc, type DocNode } from '../test/run-harness';
import { planReuse } from './reuse';

const trigger = { id: 'Start', type: 'manual-trigger' };
const http = (id: string, path: string): DocNode => ({
  id,
  type: 'http-request',
  params: { method: 'GET', url: `http://127.0.0.1:1${path}` },
});
const set = (id: string, fields: Record<string, unknown>): DocNode => ({ id, type: 'set-fields', params: { fields } });
const plan = (nodes: DocNode[], edges: Array<[string, string]>) =>
  compileOrThrow(workflowDoc(nodes, edges), 'wf-reuse');
const all = (ids: string[]) => new Set(ids);

const linear = (cPath = '/c') =>
  plan(
    [trigger, http('A', '/a'), http('B', '/b'), http('C', cPath)],
    [
      ['Start', 'A'],
      ['A', 'B'],
      ['B', 'C'],
    ],
  );

test('nodes that succeeded upstream of the failure are reused; the failed node and what follows run again', () => {
  expect(planReuse(linear(), linear(), all(['Start', 'A']))).toEqual({ reused: ['A'], rerun: ['B', 'C'] });
});

test('a changed node runs again, and so does everything downstream of it, even if it succeeded', () => {
  const old = linear();
  const next = plan(
    [trigger, http('A', '/a'), http('B', '/b-changed'), http('C', '/c')],
    [
      ['Start', 'A'],
      ['A', 'B'],
      ['B', 'C'],
    ],
  );
  expect(planReuse(old, next, all(['Start', 'A', 'B']))).toEqual({ reused: ['A'], rerun: ['B', 'C'] });
});

test('a node fed by other edges than before runs again', () => {
  const old = plan(
    [trigger, http('A', '/a'), http('B', '/b'), http('C', '/c')],
    [
      ['Start', 'A'],
      ['Start', 'B'],
      ['A', 'C'],
    ],
  );
  const next = plan(
    [trigger, http('A', '/a'), http('B', '/b'), http('C', '/c')],
    [
      ['Start', 'A'],
      ['Start', 'B'],
      ['B', 'C'],
    ],
  );
  expect(planReuse(old, next, all(['A', 'B', 'C'])).reused).toEqual(['A', 'B']);
});

test('a node whose $node(…) expression reads a node that runs again runs again too', () => {
  const build = () =>
    plan(
      [trigger, http('A', '/a'), http('B', '/b'), set('C', { a: '{{ $node("B").status }}' }), http('D', '/d')],
      [
        ['Start', 'A'],
        ['Start', 'B'],
        ['A', 'C'],
        ['C', 'D'],
      ],
    );
  // B failed: C reads it by name, though its only edge comes from A.
  expect(planReuse(build(), build(), all(['A', 'C']))).toEqual({ reused: ['A'], rerun: ['B', 'C', 'D'] });
  expect(planReuse(build(), build(), all(['A', 'B', 'C']))).toEqual({ reused: ['A', 'B', 'C'], rerun: ['D'] });
});

test('an If with unchanged inputs is evaluated again without making its branch run again', () => {
  const build = () =>
    plan(
      [
        trigger,
        http('A', '/a'),
        { id: 'Check', type: 'if', params: { left: '{{ $input.status }}', operator: 'equals', right: '200' } },
        http('Yes', '/yes'),
        http('After', '/after'),
      ],
      [
        ['Start', 'A'],
        ['A', 'Check'],
        ['Check:true', 'Yes'],
        ['Yes', 'After'],
      ],
    );
  expect(planReuse(build(), build(), all(['A', 'Check', 'Yes']))).toEqual({
    reused: ['A', 'Yes'],
    rerun: ['Check', 'After'],
  });
});

test('a loop runs again whole, body included, and so does what follows it', () => {
  const build = () =>
    plan(
      [trigger, http('A', '/a'), { id: 'Each', type: 'loop-over-items', params: {} }, http('X', '/x'), http('D', '/d')],
      [
        ['Start', 'A'],
        ['A', 'Each:in'],
        ['Each:body', 'X'],
        ['X', 'Each:loopEnd'],
        ['Each:done', 'D'],
      ],
    );
  const { reused, rerun } = planReuse(build(), build(), all(['A', 'Each', 'X', 'D']));
  expect(reused).toEqual(['A']);
  expect(rerun.sort()).toEqual(['D', 'Each', 'X']);
});
