// The placeholder only exists disabled: disabled it is compiled out; enabled, the compiler refuses it and says
// what to replace it with.
import { compilePlan } from '../../ir/compile';
import type { WorkflowDocument } from '../../ir/types';

function doc(disabled: boolean): WorkflowDocument {
  return {
    nodes: [
      { id: 't', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} },
      {
        id: 'p',
        type: 'n8n-placeholder',
        version: 1,
        name: 'Read sheet',
        position: { x: 200, y: 0 },
        params: {
          originalType: 'n8n-nodes-base.googleSheets',
          replaceWith: 'Data table',
          originalParameters: { a: 1 },
        },
        disabled,
      },
    ],
    edges: [{ id: 'e', source: 't', sourcePort: 'out', target: 'p', targetPort: 'in' }],
    settings: {},
  };
}

test('disabled, it is compiled out', () => {
  const result = compilePlan(doc(true), { workflowId: 'w', name: 'W' });
  expect(result.ok && Object.keys(result.plan.nodes)).toEqual(['t']);
});

test('enabled, the compiler refuses it, naming the node and what to replace it with', () => {
  const result = compilePlan(doc(false), { workflowId: 'w', name: 'W' });
  expect(result.ok).toBe(false);
  expect(!result.ok && result.diagnostics).toEqual([
    expect.objectContaining({
      severity: 'error',
      nodeId: 'p',
      message:
        'Read sheet: this placeholder (originalType "n8n-nodes-base.googleSheets") cannot run; replace it with Data table ' +
        'and delete it, or keep it disabled',
    }),
  ]);
});
