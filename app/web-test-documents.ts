// Small workflow documents for the web tests, built from the real node types.
import type { DocumentEdge, DocumentNode, WorkflowDocument } from '../ir/types';

let x = 0;
const node = (id: string, type: string, name: string, params: Record<string, unknown>): DocumentNode => ({
  id,
  type,
  version: 1,
  name,
  position: { x: (x += 240), y: 100 },
  params,
});

/** A node of any type, named by its id, with an optional policy. */
export const anyNode = (
  id: string,
  type: string,
  params: Record<string, unknown>,
  policy?: DocumentNode['policy'],
): DocumentNode => ({ ...node(id, type, id, params), ...(policy ? { policy } : {}) });
export const manualNode = (id: string, params: Record<string, unknown> = {}) => node(id, 'manual-trigger', id, params);
export const webhookNode = (id: string, params: Record<string, unknown>) => node(id, 'webhook-trigger', id, params);
export const setNode = (id: string, fields: Record<string, string>) => node(id, 'set-fields', id, { fields });
export const codeNode = (id: string, code: string) => node(id, 'code', id, { code });
export const httpNode = (id: string, params: Record<string, unknown>) =>
  node(id, 'http-request', id, { method: 'GET', ...params });

export const chain = (from: string, to: string, fromPort = 'out', toPort = 'in'): DocumentEdge => ({
  id: `${from}-${to}`,
  source: from,
  sourcePort: fromPort,
  target: to,
  targetPort: toPort,
});

export const docWith = (nodes: DocumentNode[], edges: DocumentEdge[] = []): WorkflowDocument => ({
  nodes,
  edges,
  settings: {},
});
