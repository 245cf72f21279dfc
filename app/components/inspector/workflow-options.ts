// The workflow picker's model: which workflows match a search, how each one's publish state reads, and what to
// warn about the picked one. Pure, so these rules are tested without a browser.

/** What the picker needs of a workflow in GET /api/workflows. */
export interface WorkflowOption {
  id: string;
  name: string;
  publishedVersion: number | null;
}

/** Workflows whose name or id contains `query` (any case), by name. An empty query matches them all. */
export function matchWorkflows(workflows: readonly WorkflowOption[], query: string): WorkflowOption[] {
  const q = query.trim().toLowerCase();
  return workflows
    .filter((w) => q === '' || w.name.toLowerCase().includes(q) || w.id.includes(q))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

export const publishLabel = (w: WorkflowOption) =>
  w.publishedVersion === null ? 'not published' : `published v${w.publishedVersion}`;

export type PickedStatus =
  | { kind: 'none' }
  | { kind: 'loading' }
  | { kind: 'not-found'; id: string }
  | { kind: 'found'; workflow: WorkflowOption; self: boolean };

/** What is known of the picked id: nothing picked, the list still loading, no such workflow, or the workflow. */
export function pickedStatus(
  value: string | undefined,
  workflows: readonly WorkflowOption[] | null,
  currentWorkflowId: string,
): PickedStatus {
  if (!value) return { kind: 'none' };
  if (!workflows) return { kind: 'loading' };
  const workflow = workflows.find((w) => w.id === value);
  if (!workflow) return { kind: 'not-found', id: value };
  return { kind: 'found', workflow, self: value === currentWorkflowId };
}

/** The warnings to show under the field for the picked workflow, most serious first. */
export function pickedWarnings(status: PickedStatus, unpublished: string): string[] {
  if (status.kind === 'not-found')
    return [`Workflow ${status.id} not found: it was deleted, or the id is wrong. Pick another one.`];
  if (status.kind !== 'found') return [];
  const out: string[] = [];
  if (status.workflow.publishedVersion === null)
    out.push(`“${status.workflow.name}” is not published. ${unpublished}`.trim());
  if (status.self) out.push('This is this workflow itself: it will start another run of this same workflow.');
  return out;
}
