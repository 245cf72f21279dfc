// GET, PUT (compare-and-set on `revision`) and DELETE /api/workflows/:id.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { checkForSave, summarizeDiagnostics } from '../lib/document-check';
import { apiError, DOCUMENT_BODY_LIMIT, json, readJsonWith } from '../lib/http.server';
import { workflowFields } from '../lib/workflow-schema';
import { deleteWorkflow, getWorkflow, updateWorkflow } from '../../db/workflows';

const updateSchema = z.object({ revision: z.number().int().min(1), ...workflowFields });

const notFound = (id: string | undefined) => apiError(404, `Workflow ${id} does not exist (it may have been deleted).`);

const handle = apiHandler({
  GET: async ({ params }) => {
    const workflow = await getWorkflow(params.id!);
    return workflow ? json({ workflow }) : notFound(params.id);
  },
  PUT: async ({ request, params }) => {
    const id = params.id!;
    const body = await readJsonWith(request, updateSchema, DOCUMENT_BODY_LIMIT);
    const current = await getWorkflow(id);
    if (!current) return notFound(id);
    let warnings: unknown[] = [];
    if (body.document !== undefined) {
      const check = checkForSave(body.document, { workflowId: id, name: body.name ?? current.name });
      if (!check.ok)
        return apiError(
          422,
          summarizeDiagnostics('Workflow not saved', check.diagnostics, body.document),
          check.diagnostics,
        );
      warnings = check.warnings;
    }
    const result = await updateWorkflow(id, body.revision, {
      name: body.name,
      tags: body.tags,
      document: body.document,
    });
    if (result.ok) return json({ workflow: result.workflow, warnings });
    if (result.reason === 'not-found') return notFound(id);
    return apiError(
      409,
      `Workflow was changed by someone else (now at revision ${result.currentRevision}, you edited revision ${body.revision}). Reload it and re-apply your changes.`,
      undefined,
      { currentRevision: result.currentRevision },
    );
  },
  DELETE: async ({ params }) =>
    (await deleteWorkflow(params.id!)) ? new Response(null, { status: 204 }) : notFound(params.id),
});

export const loader = handle;
export const action = handle;
