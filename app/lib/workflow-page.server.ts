// The workflow a page (/workflows/:id and its runs) shows. A link to a workflow of another workspace the signed-in
// user belongs to switches the browser to that workspace and comes back to the same URL; a workflow of a workspace
// they do not belong to reads as missing, like a deleted one (decision 036).
import { redirect } from '@remix-run/node';
import { getWorkflow, workspaceOfWorkflow, type Workflow } from '../../db/workflows';
import { membershipOf } from '../../db/workspaces';
import type { Caller } from './caller.server';
import { switchCookie } from './workspaces.server';

/** The caller's workflow; throws the switching redirect, or a 404 page response. */
export async function pageWorkflow(request: Request, caller: Caller, id: string): Promise<Workflow> {
  const workflow = await getWorkflow(caller.scope, id);
  if (workflow) return workflow;
  const workspaceId = caller.via === 'session' ? await workspaceOfWorkflow(id) : undefined;
  if (workspaceId && workspaceId !== caller.scope.workspaceId && (await membershipOf(workspaceId, caller.user.id))) {
    const url = new URL(request.url);
    throw redirect(url.pathname + url.search, {
      headers: { 'Set-Cookie': await switchCookie(request, caller, workspaceId) },
    });
  }
  throw new Response('This workflow does not exist. It may have been deleted.', { status: 404 });
}
