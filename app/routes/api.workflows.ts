// GET /api/workflows (list with last run) and POST /api/workflows (create).
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { keepStoredSecrets, maskSecrets } from '../../nodes/secret-params';
import { checkForSave, summarizeDiagnostics } from '../lib/document-check';
import { apiError, DOCUMENT_BODY_LIMIT, json, readJsonWith } from '../lib/http.server';
import { listWorkflowsWithLastRun } from '../lib/workflow-list.server';
import { createWorkflow, EMPTY_DOCUMENT } from '../../db/workflows';
import { foreignReferenceRefusal } from '../lib/workflow-references.server';
import { workflowFields } from '../lib/workflow-schema';

const createSchema = z.object({ ...workflowFields, name: workflowFields.name.unwrap() });

const handle = apiHandler('/api/workflows', {
  GET: async ({ caller }) => json({ workflows: await listWorkflowsWithLastRun(caller.scope) }),
  POST: async ({ request, caller, user }) => {
    const body = await readJsonWith(request, createSchema, DOCUMENT_BODY_LIMIT);
    // A copied document may hold `[secret]` placeholders, which stand for nothing here: they are dropped.
    const document = keepStoredSecrets(body.document ?? EMPTY_DOCUMENT, undefined);
    const check = checkForSave(document, { workflowId: 'new', name: body.name });
    if (!check.ok)
      return apiError(
        422,
        summarizeDiagnostics('Workflow not created', check.diagnostics, document),
        check.diagnostics,
      );
    const foreign = await foreignReferenceRefusal(caller.scope, document);
    if (foreign) return foreign;
    const workflow = await createWorkflow(caller.scope, {
      name: body.name,
      ownerId: user.id,
      document,
      tags: body.tags,
    });
    return json({ workflow: { ...workflow, document: maskSecrets(workflow.document) }, warnings: check.warnings }, 201);
  },
});

export const loader = handle;
export const action = handle;
