// GET, PUT and DELETE /api/models/:id: one registered model of the caller's workspace. Changing what is called
// forgets the last probe, which described the old model.
import { deleteModel, getModel, updateModel } from '../../db/models';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import { answerModelRefusal, auditModel, checkModelCredential, modelBody } from '../lib/models.server';

const handle = apiHandler('/api/models/:id', {
  GET: async ({ params, caller }) => {
    const model = await getModel(caller.scope.workspaceId, params.id!);
    return model ? json({ model }) : apiError(404, `Model ${params.id} does not exist in this workspace.`);
  },
  PUT: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, modelBody);
    return answerModelRefusal(async () => {
      await checkModelCredential(caller, body);
      const model = await updateModel(caller.scope, params.id!, body);
      await auditModel(caller, ip, 'model.update', model);
      return json({ model });
    });
  },
  DELETE: async ({ params, caller, ip }) => {
    const model = await getModel(caller.scope.workspaceId, params.id!);
    if (!model || !(await deleteModel(caller.scope, model.id)))
      return apiError(404, `Model ${params.id} does not exist in this workspace.`);
    await auditModel(caller, ip, 'model.delete', model);
    return json({ deleted: true });
  },
});

export const loader = handle;
export const action = handle;
