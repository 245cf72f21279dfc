// Edges that follow a Switch's rules: the pure remapping, and the store action that applies it with the rules in
// one undo step, checked against the real compiler (a dangling edge is what used to block saving).
import { describeSpec, registry } from '../../nodes/index';
import { checkForSave } from '../lib/document-check';
import type { BatonEdge } from './flow-document';
import { remapListEdges, rowIndexAfter, type ListChange } from './list-edges';
import { createWorkflowStore } from './workflow-store';

const edge = (port: string, target: string, source = 'sw'): BatonEdge => ({
  id: `e_${source}_${port}_${target}_in`,
  source,
  sourceHandle: port,
  target,
  targetHandle: 'in',
});
const ports = (edges: BatonEdge[]) =>
  Object.fromEntries(edges.filter((e) => e.source === 'sw').map((e) => [e.target, e.sourceHandle]));

describe('rowIndexAfter', () => {
  const after = (change: ListChange, length: number) => Array.from({ length }, (_, i) => rowIndexAfter(change, i));
  test('a move down shifts the rows it passes up by one', () => {
    expect(after({ kind: 'move', from: 0, to: 2 }, 4)).toEqual([2, 0, 1, 3]);
  });
  test('a move up shifts the rows it passes down by one', () => {
    expect(after({ kind: 'move', from: 3, to: 1 }, 4)).toEqual([0, 2, 3, 1]);
  });
  test('a removal drops its row and closes the gap', () => {
    expect(after({ kind: 'remove', index: 1 }, 4)).toEqual([0, null, 1, 2]);
  });
});

describe('remapListEdges', () => {
  const edges = [edge('0', 'a'), edge('1', 'b'), edge('2', 'c'), edge('fallback', 'd'), edge('0', 'x', 'other')];

  test('moved rows take their edges along; fallback and other nodes’ edges stay', () => {
    const next = remapListEdges(edges, 'sw', { kind: 'move', from: 0, to: 2 });
    expect(ports(next)).toEqual({ a: '2', b: '0', c: '1', d: 'fallback' });
    expect(next.find((e) => e.source === 'other')).toBe(edges[4]);
    expect(next.find((e) => e.target === 'd')).toBe(edges[3]);
  });

  test('a removed row’s edges go and the rows after it shift up', () => {
    const next = remapListEdges(edges, 'sw', { kind: 'remove', index: 1 });
    expect(ports(next)).toEqual({ a: '0', c: '1', d: 'fallback' });
    expect(next).toHaveLength(4);
  });

  test('editor-made ids follow the new port, other ids are kept, and ids stay unique', () => {
    const custom = { ...edge('1', 'b'), id: 'imported-edge' };
    const next = remapListEdges([edge('0', 'a'), custom], 'sw', { kind: 'move', from: 0, to: 1 });
    expect(next.map((e) => e.id)).toEqual(['e_sw_1_a_in', 'imported-edge']);
    // An imported edge already holding the id the editor's edge is renamed to.
    const clash = { ...edge('1', 'a'), id: 'e_sw_1_a_in', targetHandle: 'other' };
    const ids = remapListEdges([clash, edge('0', 'a')], 'sw', { kind: 'move', from: 0, to: 1 }).map((e) => e.id);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('setListParam', () => {
  const rule = (output: string) => ({ output, value: '{{ $input.n }}', operator: 'equals', compare: output });
  const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({
    id,
    type,
    version: 1,
    name: id,
    position: { x: 0, y: 0 },
    params,
  });
  const docEdge = (port: string, target: string) => ({
    id: `e_sw_${port}_${target}_in`,
    source: 'sw',
    sourcePort: port,
    target,
    targetPort: 'in',
  });
  function openStore() {
    return createWorkflowStore({
      workflowId: 'wf1',
      name: 'Route',
      revision: 1,
      document: {
        nodes: [
          node('start', 'manual-trigger'),
          node('sw', 'switch', { rules: [rule('A'), rule('B'), rule('C')], fallbackOutput: true }),
          ...['a', 'b', 'c', 'd'].map((id) => node(id, 'set-fields')),
        ],
        edges: [
          { id: 'e_start', source: 'start', sourcePort: 'out', target: 'sw', targetPort: 'in' },
          docEdge('0', 'a'),
          docEdge('1', 'b'),
          docEdge('2', 'c'),
          docEdge('fallback', 'd'),
        ],
        settings: {},
      },
      specs: registry.list().map(describeSpec),
      diagnostics: [],
    });
  }
  const rulesOf = (store: ReturnType<typeof openStore>) =>
    (store.getState().nodes.find((n) => n.id === 'sw')!.data.params.rules as Array<{ output: string }>).map(
      (r) => r.output,
    );
  const canSave = (store: ReturnType<typeof openStore>) =>
    checkForSave(store.getState().document(), { workflowId: 'wf1', name: 'Route' });

  test('the real document starts valid', () => {
    expect(canSave(openStore())).toMatchObject({ ok: true });
  });

  test('moving a rule moves its edge, and one undo puts both back', () => {
    const store = openStore();
    const rules = store.getState().nodes.find((n) => n.id === 'sw')!.data.params.rules as unknown[];
    store.getState().setListParam('sw', 'rules', [rules[1], rules[0], rules[2]], { kind: 'move', from: 0, to: 1 });
    expect(rulesOf(store)).toEqual(['B', 'A', 'C']);
    expect(ports(store.getState().edges)).toEqual({ a: '1', b: '0', c: '2', d: 'fallback' });
    expect(canSave(store)).toMatchObject({ ok: true });
    store.getState().undo();
    expect(rulesOf(store)).toEqual(['A', 'B', 'C']);
    expect(ports(store.getState().edges)).toEqual({ a: '0', b: '1', c: '2', d: 'fallback' });
  });

  test('removing a rule removes its edge, so the document still saves', () => {
    const store = openStore();
    const rules = store.getState().nodes.find((n) => n.id === 'sw')!.data.params.rules as unknown[];
    store.getState().setListParam('sw', 'rules', [rules[0], rules[2]], { kind: 'remove', index: 1 });
    expect(ports(store.getState().edges)).toEqual({ a: '0', c: '1', d: 'fallback' });
    expect(canSave(store)).toMatchObject({ ok: true });
    // The old behaviour, for contrast: the rows alone leave an edge on port 2, which no longer exists.
    const stale = openStore();
    stale.getState().setParam('sw', 'rules', [rules[0], rules[2]]);
    expect(canSave(stale)).toMatchObject({ ok: false });
  });

  test('a cell edit is an ordinary param change that leaves the edges alone', () => {
    const store = openStore();
    const before = store.getState().edges;
    store.getState().setListParam('sw', 'rules', [rule('X'), rule('B'), rule('C')]);
    expect(rulesOf(store)).toEqual(['X', 'B', 'C']);
    expect(store.getState().edges).toBe(before);
  });
});
