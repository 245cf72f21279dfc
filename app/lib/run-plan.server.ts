// Which plan a new run pins: the saved draft compiled now (a test run), or a published version's frozen plan.
import type { Diagnostic, Plan } from '../../ir/types';
import { getPlan } from '../../db/plans';
import { getVersion, type Workflow } from '../../db/workflows';
import { checkForRun, summarizeDiagnostics } from './document-check';

export type PlanChoice =
  | { ok: true; plan: Plan; workflowVersion?: number }
  | { ok: false; status: 404 | 422; message: string; diagnostics?: Diagnostic[] };

export async function planForRun(workflow: Workflow, version: 'draft' | number): Promise<PlanChoice> {
  if (version === 'draft') {
    const check = checkForRun(workflow.document, { workflowId: workflow.id, name: workflow.name });
    if (!check.ok)
      return {
        ok: false,
        status: 422,
        message: summarizeDiagnostics('Cannot run the draft', check.diagnostics, workflow.document),
        diagnostics: check.diagnostics,
      };
    return { ok: true, plan: check.plan, workflowVersion: undefined };
  }
  const published = await getVersion(workflow.id, version);
  if (!published)
    return { ok: false, status: 404, message: `Workflow ${workflow.id} has no published version ${version}.` };
  const frozen = await getPlan(published.planHash);
  if (frozen) return { ok: true, plan: frozen, workflowVersion: version };
  // The plan record is gone (e.g. pruned); the frozen document compiles to it again.
  const check = checkForRun(published.document, { workflowId: workflow.id, name: workflow.name });
  if (!check.ok)
    return {
      ok: false,
      status: 422,
      message: summarizeDiagnostics(`Version ${version} no longer compiles`, check.diagnostics, published.document),
      diagnostics: check.diagnostics,
    };
  return { ok: true, plan: check.plan, workflowVersion: version };
}
