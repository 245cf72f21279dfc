// The benchmark's workflow: Manual trigger → STEPS "Set fields" nodes in a chain.
import type { WorkflowDocument } from '../ir/types';

export function benchDocument(steps: number): WorkflowDocument {
  const nodes: WorkflowDocument['nodes'] = [
    { id: 'trigger', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} },
  ];
  const edges: WorkflowDocument['edges'] = [];
  for (let i = 0; i < steps; i++) {
    const id = `set${i}`;
    nodes.push({
      id,
      type: 'set-fields',
      version: 1,
      name: `Set ${i}`,
      position: { x: (i + 1) * 200, y: 0 },
      params: { fields: { [`step${i}`]: i } },
    });
    edges.push({
      id: `e${i}`,
      source: i === 0 ? 'trigger' : `set${i - 1}`,
      sourcePort: 'out',
      target: id,
      targetPort: 'in',
    });
  }
  return { nodes, edges, settings: {} };
}
