// Test helpers for the n8n importer: small n8n workflows built in code, and the compile check every import meets.
import { compilePlan } from '../compile';
import type { CompileResult, WorkflowDocument } from '../types';

export interface N8nNodeJson {
  name: string;
  type: string;
  typeVersion?: number;
  parameters?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  position?: [number, number];
  id?: string;
}

/** A manual trigger feeding `node`, in n8n's export format. */
export function afterTrigger(node: N8nNodeJson): Record<string, unknown> {
  return {
    name: 'Test',
    nodes: [
      {
        id: 't',
        name: 'Start',
        type: 'n8n-nodes-base.manualTrigger',
        typeVersion: 1,
        position: [0, 0],
        parameters: {},
      },
      { id: 'n', typeVersion: 1, position: [200, 0], parameters: {}, ...node },
    ],
    connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
  };
}

/** Compiles and returns the diagnostics that would block saving (errors that are not `incomplete`). */
export function compileImported(doc: WorkflowDocument): { result: CompileResult; blocking: string[] } {
  const result = compilePlan(doc, { workflowId: 'test', name: 'Imported' });
  const blocking = result.ok
    ? []
    : result.diagnostics.filter((d) => d.severity === 'error' && !d.incomplete).map((d) => d.message);
  return { result, blocking };
}
