// Workflows a document names (Execute workflow nodes, the error workflow setting) must be of the caller's workspace:
// a run and the runs it starts stay in one workspace (decision 036). Checked when a document is saved, published or
// run, so a reference to another workspace's workflow is refused with the node (or setting) named.
import { workspaceOfWorkflow } from '../../db/workflows';
import type { WorkspaceScope } from '../../db/workspaces';
import { registry } from '../../nodes/index';
import { apiError } from './http.server';

interface DocLike {
  nodes?: Array<{ id?: unknown; name?: unknown; type?: unknown; version?: unknown; params?: Record<string, unknown> }>;
  settings?: { errorWorkflowId?: unknown };
}

interface Reference {
  workflowId: string;
  /** Where the document names it, for the message. */
  where: string;
  field: string;
}

function referencesOf(document: unknown): Reference[] {
  const doc = (document ?? {}) as DocLike;
  const found: Reference[] = [];
  for (const node of Array.isArray(doc.nodes) ? doc.nodes : []) {
    if (typeof node.type !== 'string' || typeof node.version !== 'number') continue;
    const spec = registry.get(node.type, node.version);
    for (const [key, param] of Object.entries(spec?.params ?? {})) {
      const value = node.params?.[key];
      if (param.ui.widget !== 'workflow' || typeof value !== 'string' || value === '') continue;
      const name = typeof node.name === 'string' && node.name ? node.name : String(node.id);
      found.push({ workflowId: value, where: `Node "${name}" (${String(node.id)})`, field: key });
    }
  }
  const errorWorkflowId = doc.settings?.errorWorkflowId;
  if (typeof errorWorkflowId === 'string' && errorWorkflowId !== '')
    found.push({ workflowId: errorWorkflowId, where: 'The error workflow setting', field: 'errorWorkflowId' });
  return found;
}

/**
 * A 400 naming the first node (or setting) whose workflow belongs to another workspace, or undefined. A workflow
 * that exists nowhere is left to the compiler and the run, as before workspaces.
 */
export async function foreignReferenceRefusal(scope: WorkspaceScope, document: unknown): Promise<Response | undefined> {
  for (const ref of referencesOf(document)) {
    const workspaceId = await workspaceOfWorkflow(ref.workflowId);
    if (workspaceId !== undefined && workspaceId !== scope.workspaceId)
      return apiError(
        400,
        `${ref.where}: ${ref.field} names workflow ${ref.workflowId}, which is not a workflow of this workspace; ` +
          'pick one of this workspace’s workflows.',
        undefined,
        { field: ref.field },
      );
  }
  return undefined;
}
