// Members of the workspace the caller acts in: roles, invitations and named groups (member.manage). Each form
// posts an `intent` here; the rules and audit entries live in members.server.ts and groups.server.ts, shared with
// the JSON API.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react';
import { z } from 'zod';
import { assignableRoles } from '../../contracts/permissions';
import { GroupsPanel } from '../components/workspace/GroupsPanel';
import { InvitePanel } from '../components/workspace/InvitePanel';
import { MemberTable } from '../components/workspace/MemberTable';
import { PublisherKeys } from '../components/workspace/PublisherKeys';
import { WorkspaceName } from '../components/workspace/WorkspaceName';
import { routeErrorMessage } from '../lib/format';
import { requirePageActionCaller, requirePageCaller } from '../lib/auth.server';
import { can, permissionRefusal, type Caller } from '../lib/caller.server';
import { readForm } from '../lib/forms.server';
import { addToGroup, createGroup, groupSchema, removeFromGroup, removeGroup } from '../lib/groups.server';
import { parseWith } from '../lib/http.server';
import {
  cancelInvite,
  changeRole,
  inviteMember,
  inviteSchema,
  memberList,
  pendingInvites,
  removeFromWorkspace,
  roleSchema,
} from '../lib/members.server';
import { renameCurrent, workspaceNameSchema } from '../lib/workspaces.server';
import { getWorkspace, listGroups } from '../../db/workspaces';

export const meta: MetaFunction = () => [{ title: 'Members · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/settings/members');
  const [workspace, members, invites, groups] = await Promise.all([
    getWorkspace(caller.scope.workspaceId),
    memberList(caller),
    pendingInvites(caller),
    listGroups(caller.scope),
  ]);
  return {
    workspace: { id: caller.scope.workspaceId, name: workspace?.name ?? caller.scope.workspaceId },
    canRename: can(caller, 'workspace.admin'),
    me: caller.user.id,
    assignable: assignableRoles(caller.scope.role),
    members,
    invites,
    groups,
  };
}

const idField = z.string().min(1).max(200);

async function perform(caller: Caller, ip: string, request: Request, form: FormData) {
  const acting = { caller, ip };
  const field = (name: string) => parseWith(idField, form.get(name) ?? undefined);
  switch (form.get('intent')) {
    case 'invite': {
      const input = parseWith(inviteSchema, Object.fromEntries(form));
      return { invited: await inviteMember(acting, request, input) };
    }
    case 'revoke-invite':
      await cancelInvite(acting, field('id'));
      return { ok: true };
    case 'role': {
      const { role } = parseWith(roleSchema, { role: form.get('role') });
      return { member: await changeRole(acting, field('userId'), role) };
    }
    case 'remove':
      await removeFromWorkspace(acting, field('userId'));
      return { ok: true };
    case 'group-create': {
      const slug = String(form.get('slug') ?? '').trim();
      const input = parseWith(groupSchema, { name: form.get('name'), ...(slug ? { slug } : {}) });
      return { group: await createGroup(acting, input) };
    }
    case 'group-add':
      return { group: await addToGroup(acting, field('slug'), field('userId')) };
    case 'group-remove':
      return { group: await removeFromGroup(acting, field('slug'), field('userId')) };
    case 'group-delete':
      await removeGroup(acting, field('slug'));
      return { ok: true };
    case 'rename': {
      if (!can(caller, 'workspace.admin'))
        return data({ error: permissionRefusal(caller, 'workspace.admin') }, { status: 403 });
      const { name } = parseWith(workspaceNameSchema, { name: form.get('name') });
      await renameCurrent(acting, caller.scope.workspaceId, name);
      return { ok: true };
    }
    default:
      return data({ error: `Unknown action "${String(form.get('intent'))}".` }, { status: 400 });
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const caller = await requirePageActionCaller(request, '/settings/members');
  const form = await readForm(request);
  try {
    return await perform(caller, context.clientIp, request, form);
  } catch (err) {
    // The shared operations refuse with JSON error responses; the page shows their message beside the form.
    if (err instanceof Response && err.status >= 400 && err.status < 500) {
      const body = (await err.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
      return data({ error: body?.error?.message ?? `Refused (${err.status}).` }, { status: err.status });
    }
    throw err;
  }
}

export default function MembersPage() {
  const { workspace, canRename, me, assignable, members, invites, groups } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Members</h1>
          <p className="muted">Who is in {workspace.name}, what each person may do, and the groups approvals target.</p>
        </div>
      </div>
      {canRename && <WorkspaceName name={workspace.name} />}
      <InvitePanel assignable={assignable} invites={invites} />
      <MemberTable members={members} me={me} assignable={assignable} />
      <GroupsPanel groups={groups} members={members} />
      {canRename && <PublisherKeys />}
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const forbidden = isRouteErrorResponse(error) && error.status === 403;
  const message = routeErrorMessage(error, 'Unknown error');
  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>{forbidden ? 'You cannot manage members here' : 'Members'}</h1>
          <p className="muted">
            {forbidden
              ? 'Managing members needs the owner or admin role in this workspace. Ask one of them for help.'
              : 'Could not load the members of this workspace.'}
          </p>
        </div>
      </div>
      <div className="banner error" role="alert">
        {message}
      </div>
    </main>
  );
}
