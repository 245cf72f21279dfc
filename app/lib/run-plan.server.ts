// Which plan a new run pins: the saved draft compiled now (a test run), or a published version's frozen plan.
import type { Diagnostic, Plan } from '../../ir/types';
import type { Workflow } from '../../db/workflows';
import { checkForRun, summarizeDiagnostics } from './document-check';
import { publishedPlan } from './plan-cache.server';

export type PlanRefusal = { ok: false; status: 404 | 422; message: string; diagnostics?: Diagnostic[] };

export type PlanChoice =
  | {
      ok: true;
      plan: Plan;
      workflowVersion?: number;
      /** Already in the plans collection (a published version's), so the launcher need not save it. */
      planStored: boolean;
    }
  | PlanRefusal;

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
    return { ok: true, plan: check.plan, workflowVersion: undefined, planStored: false };
  }
  const published = await publishedPlan(workflow.id, version, async () => workflow.name);
  if (!published.ok) return published;
  return { ok: true, plan: published.plan, workflowVersion: version, planStored: true };
}
