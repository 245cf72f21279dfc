// Calling Baton's JSON API from the signed-in page, so the session cookie and Origin come along as in the app: for
// the setup a spec is not about (a workflow another one points at), never for what it checks.
import type { Page } from '@playwright/test';

export async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json();
    },
    { method, path, body },
  );
}

/** A document node for `POST /api/workflows`, named by its id. */
export const docNode = (id: string, type: string, x: number, y: number, params: Record<string, unknown> = {}) => ({
  id,
  type,
  version: 1,
  name: id,
  position: { x, y },
  params,
});

export const docEdge = (source: string, sourcePort: string, target: string, targetPort = 'in') => ({
  id: `${source}-${sourcePort}-${target}-${targetPort}`,
  source,
  sourcePort,
  target,
  targetPort,
});

/** Creates a workflow from a document and returns its id. */
export async function createWorkflow(
  page: Page,
  name: string,
  document: { nodes: unknown[]; edges: unknown[]; settings?: Record<string, unknown> },
): Promise<string> {
  const { workflow } = await api<{ workflow: { id: string } }>(page, 'POST', '/api/workflows', {
    name,
    document: { settings: {}, ...document },
  });
  return workflow.id;
}
