// What live diagnostics may skip: moves and selection leave the compiled graph alone, edits do not.
import { describeSpec, registry } from '../../nodes/index';
import { editorBenchDocument } from '../../bench/editor-documents';
import { sameGraph } from './flow-document';
import { nodeProblems } from './node-problems';
import { createWorkflowStore } from './workflow-store';

function openStore() {
  return createWorkflowStore({
    workflowId: 'wf1',
    name: 'Flow',
    revision: 1,
    document: editorBenchDocument(20),
    specs: registry.list().map(describeSpec),
    diagnostics: [],
  });
}

test('dragging, selecting and measuring nodes keep the graph the compiler sees', () => {
  const store = openStore();
  const opened = store.getState();
  const id = opened.nodes[3].id;
  store.getState().onNodesChange([{ type: 'position', id, position: { x: 900, y: 40 }, dragging: true }]);
  store.getState().onNodesChange([{ type: 'position', id, position: { x: 960, y: 80 }, dragging: false }]);
  store.getState().onNodesChange([{ type: 'select', id, selected: true }]);
  store.getState().onNodesChange([{ type: 'dimensions', id, dimensions: { width: 220, height: 64 } }]);
  const moved = store.getState();
  expect(moved.nodes[3].position).toEqual({ x: 960, y: 80 });
  expect(moved.changeSeq).toBeGreaterThan(opened.changeSeq);
  expect(sameGraph(moved, opened)).toBe(true);
  store.getState().undo();
  expect(sameGraph(store.getState(), opened)).toBe(true);
});

test('editing params, names, edges or nodes changes the graph', () => {
  const edits: Array<(s: ReturnType<ReturnType<typeof openStore>['getState']>) => void> = [
    (s) => s.setParam(s.nodes[1].id, 'keepInput', false),
    (s) => s.renameNode(s.nodes[2].id, 'Renamed'),
    (s) => s.removeNode(s.nodes[4].id),
    (s) => s.addNode('delay', { x: 0, y: 600 }),
    (s) => s.onConnect({ source: s.nodes[5].id, sourceHandle: 'out', target: s.nodes[9].id, targetHandle: 'in' }),
  ];
  for (const edit of edits) {
    const store = openStore();
    const opened = store.getState();
    edit(opened);
    expect(sameGraph(store.getState(), opened)).toBe(false);
  }
});

test('problem counts per node come from one index of the diagnostics list', () => {
  const diagnostics = [
    { severity: 'error' as const, code: 'param-invalid', message: 'bad url', nodeId: 'n1' },
    { severity: 'error' as const, code: 'param-required', message: 'no url', nodeId: 'n1' },
    { severity: 'warning' as const, code: 'unreachable', message: 'never runs', nodeId: 'n2' },
    { severity: 'error' as const, code: 'no-trigger', message: 'no trigger' },
  ];
  expect(nodeProblems(diagnostics, 'n1')).toEqual({ errors: 2, warnings: 0 });
  expect(nodeProblems(diagnostics, 'n2')).toEqual({ errors: 0, warnings: 1 });
  expect(nodeProblems(diagnostics, 'n3')).toEqual({ errors: 0, warnings: 0 });
  expect(nodeProblems([...diagnostics.slice(1)], 'n1')).toEqual({ errors: 1, warnings: 0 });
});
