// GET /api/models: the workspace's model registry (docs/decisions/053-agents.md). POST { name, provider, model,
// credentialId?, prices?, concurrency?, contextLength? }: registers a model; refusals name the field at fault.
import { createModel, listModels } from '../../db/models';
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { answerModelRefusal, auditModel, checkModelCredential, modelBody } from '../lib/models.server';

const handle = apiHandler('/api/models', {
  GET: async ({ caller }) => json({ models: await listModels(caller.scope.workspaceId) }),
  POST: async ({ request, caller, ip }) => {
    const body = await readJsonWith(request, modelBody);
    return answerModelRefusal(async () => {
      await checkModelCredential(caller, body);
      const model = await createModel(caller.scope, body);
      await auditModel(caller, ip, 'model.create', model);
      return json({ model }, 201);
    });
  },
});

export const loader = handle;
export const action = handle;
