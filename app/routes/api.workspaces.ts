// GET /api/workspaces: the caller's workspaces with their role in each. POST: create one; the caller owns it.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, readJsonWith } from '../lib/http.server';
import { myWorkspaces, startWorkspace, workspaceNameSchema } from '../lib/workspaces.server';

const handle = apiHandler('/api/workspaces', {
  GET: async ({ caller }) => json({ workspaces: await myWorkspaces(caller) }),
  POST: async ({ request, caller, user }) => {
    // Creating a workspace is an admin act for a token: a narrower token must not widen its holder's reach.
    if (caller.tokenScopes && !caller.tokenScopes.includes('admin'))
      return apiError(403, 'Not allowed: creating a workspace with a token needs the admin scope.');
    const { name } = await readJsonWith(request, workspaceNameSchema);
    return json({ workspace: await startWorkspace(user, name) }, 201);
  },
});

export const loader = handle;
export const action = handle;
