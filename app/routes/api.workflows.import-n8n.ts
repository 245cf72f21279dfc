// POST /api/workflows/import-n8n: an n8n workflow export → a draft workflow in the caller's workspace, with a
// summary of what to finish (placeholders, credentials, expressions). `preview: true` returns the summary only.
// Decision: docs/decisions/062-n8n-import.md.
import { z } from 'zod';
import { createWorkflow } from '../../db/workflows';
import { importN8nWorkflow, N8nImportError, N8N_IMPORT_LIMITS } from '../../ir/n8n/import';
import { apiHandler } from '../lib/api-route.server';
import { checkForSave, summarizeDiagnostics } from '../lib/document-check';
import { apiError, json, parseWith, readBodyUpTo, tooLarge } from '../lib/http.server';
import { workflowFields } from '../lib/workflow-schema';

// The file travels as a JSON string, whose escaping can grow it; the importer itself stops at 5 MB of text.
const BODY_LIMIT = Math.ceil(N8N_IMPORT_LIMITS.chars * 1.2);

const importSchema = z.object({
  // The file's text (what the dialog sends), or its JSON already parsed (what scripts send).
  source: z.union([z.string().min(1, 'Paste the n8n workflow JSON or pick its file.'), z.record(z.unknown())]),
  name: workflowFields.name,
  preview: z.boolean().optional(),
});

const handle = apiHandler('/api/workflows/import-n8n', {
  POST: async ({ request, caller, user }) => {
    const raw = await readBodyUpTo(request, BODY_LIMIT);
    if (!raw) return tooLarge('The n8n file is larger than the 5 MB import limit; split the workflow in n8n first.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(raw));
    } catch (err) {
      return apiError(400, `Request body is not valid JSON: ${(err as Error).message}.`);
    }
    const body = parseWith(importSchema, parsed);
    let imported;
    try {
      imported = importN8nWorkflow(body.source);
    } catch (err) {
      if (!(err instanceof N8nImportError)) throw err;
      return apiError(422, err.message, undefined, { problems: err.problems.slice(0, 50) });
    }
    const name = body.name ?? imported.name;
    if (body.preview) return json({ name, summary: imported.summary, nodes: imported.document.nodes.length });
    const check = checkForSave(imported.document, { workflowId: 'new', name });
    if (!check.ok)
      return apiError(
        422,
        summarizeDiagnostics('Workflow not imported', check.diagnostics, imported.document),
        check.diagnostics,
      );
    const workflow = await createWorkflow(caller.scope, { name, ownerId: user.id, document: imported.document });
    return json({ workflow: { id: workflow.id, name: workflow.name }, summary: imported.summary }, 201);
  },
});

export const loader = handle;
export const action = handle;
