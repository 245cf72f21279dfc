// PATCH /api/workspaces/:id { name }: rename the workspace the caller acts in (workspace.admin).
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { myWorkspaces, renameCurrent, workspaceNameSchema } from '../lib/workspaces.server';

const handle = apiHandler('/api/workspaces/:id', {
  PATCH: async ({ request, params, caller, ip }) => {
    const { name } = await readJsonWith(request, workspaceNameSchema);
    await renameCurrent({ caller, ip }, params.id!, name);
    return json({ workspace: (await myWorkspaces(caller)).find((w) => w.id === params.id) });
  },
});

export const loader = handle;
export const action = handle;
