// GET, PUT (compare-and-set on `revision`), PATCH (settings outside the document: run retention) and
// DELETE /api/workflows/:id?runs=keep|delete (keep: archive the workflow, its runs stay; delete: runs go too).
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { checkForSave, summarizeDiagnostics } from '../lib/document-check';
import { apiError, DOCUMENT_BODY_LIMIT, json, parseWith, readJsonWith } from '../lib/http.server';
import { removeWorkflow } from '../lib/workflow-removal.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { foreignReferenceRefusal } from '../lib/workflow-references.server';
import { workflowFields } from '../lib/workflow-schema';
import { getWorkflow, setWorkflowRetention, updateWorkflow, type Workflow } from '../../db/workflows';
import { keepStoredSecrets, maskSecrets } from '../../nodes/secret-params';

const updateSchema = z.object({ revision: z.number().int().min(1), ...workflowFields });

/** `null` returns a limit to the global default (BATON_RETENTION_DAYS / BATON_RETENTION_RUNS). */
const settingsSchema = z
  .object({
    retention: z
      .object({
        days: z.number().positive().max(36_500).nullable().optional(),
        runs: z.number().int().min(1).max(10_000_000).nullable().optional(),
      })
      .strict(),
  })
  .strict();

const deleteSchema = z.object({ runs: z.enum(['keep', 'delete']).default('keep') });

const masked = (workflow: Workflow): Workflow => ({ ...workflow, document: maskSecrets(workflow.document) });

const notFound = (id: string | undefined) => apiError(404, `Workflow ${id} does not exist (it may have been deleted).`);

const handle = apiHandler('/api/workflows/:id', {
  GET: async ({ params, caller }) => {
    const workflow = await getWorkflow(caller.scope, params.id!);
    return workflow ? json({ workflow: masked(workflow) }) : notFound(params.id);
  },
  PUT: async ({ request, params, caller }) => {
    const id = params.id!;
    const body = await readJsonWith(request, updateSchema, DOCUMENT_BODY_LIMIT);
    const current = await getWorkflow(caller.scope, id);
    if (!current) return notFound(id);
    let warnings: unknown[] = [];
    // The client holds `[secret]` placeholders (nodes/secret-params); the stored secrets stay.
    if (body.document !== undefined) body.document = keepStoredSecrets(body.document, current.document);
    if (body.document !== undefined) {
      const check = checkForSave(body.document, { workflowId: id, name: body.name ?? current.name });
      if (!check.ok)
        return apiError(
          422,
          summarizeDiagnostics('Workflow not saved', check.diagnostics, body.document),
          check.diagnostics,
        );
      warnings = check.warnings;
      const foreign = await foreignReferenceRefusal(caller.scope, body.document);
      if (foreign) return foreign;
    }
    const result = await updateWorkflow(caller.scope, id, body.revision, {
      name: body.name,
      tags: body.tags,
      document: body.document,
    });
    if (result.ok) return json({ workflow: masked(result.workflow), warnings });
    if (result.reason === 'not-found') return notFound(id);
    return apiError(
      409,
      `Workflow was changed by someone else (now at revision ${result.currentRevision}, you edited revision ${body.revision}). Reload it and re-apply your changes.`,
      undefined,
      { currentRevision: result.currentRevision },
    );
  },
  PATCH: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, settingsSchema);
    const workflow = await setWorkflowRetention(caller.scope, params.id!, body.retention);
    if (!workflow) return notFound(params.id);
    await auditWorkflowAction(
      { caller, ip },
      'workflow.settings',
      { kind: 'workflow', id: workflow.id, name: workflow.name },
      { retention: body.retention },
    );
    return json({ workflow: masked(workflow) });
  },
  DELETE: async ({ request, params, caller, ip }) => {
    const { runs } = parseWith(deleteSchema, Object.fromEntries(new URL(request.url).searchParams));
    return (await removeWorkflow({ caller, ip }, params.id!, runs))
      ? new Response(null, { status: 204 })
      : notFound(params.id);
  },
});

export const loader = handle;
export const action = handle;
