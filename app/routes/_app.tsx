// The signed-in shell around list pages: brand, workspace switcher, navigation (only the pages the caller's role
// opens), who is signed in.
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, NavLink, Outlet, useLoaderData, useNavigation } from '@remix-run/react';
import { InboxNavLink } from '../components/approvals/InboxNavLink';
import { BrandMark } from '../components/ui/BrandMark';
import { WorkspaceSwitcher } from '../components/workspace/WorkspaceSwitcher';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { myWorkspaces } from '../lib/workspaces.server';
import { pendingCountFor } from '../../db/approvals';
import workspaceCss from '../styles/workspace.css?url';
import approvalsCss from '../styles/approvals.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: workspaceCss },
  { rel: 'stylesheet', href: approvalsCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/');
  return {
    user: { name: caller.user.name, email: caller.user.email },
    workspaces: await myWorkspaces(caller),
    nav: {
      credentials: can(caller, 'credential.read'),
      members: can(caller, 'member.manage'),
      audit: can(caller, 'audit.read'),
    },
    inbox: can(caller, 'approval.decide')
      ? {
          workspaceId: caller.scope.workspaceId,
          pendingCount: await pendingCountFor(caller.scope.workspaceId, caller.user.id),
        }
      : undefined,
  };
}

export default function AppShell() {
  const { user, workspaces, nav, inbox } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <div className="shell">
      {loading && <div className="progress-bar" role="progressbar" aria-label="Loading" />}
      <header className="topnav">
        <NavLink to="/" className="brand">
          <BrandMark /> Baton
        </NavLink>
        <WorkspaceSwitcher workspaces={workspaces} />
        <nav aria-label="Main">
          <NavLink to="/" end>
            Workflows
          </NavLink>
          <NavLink to="/runs">Runs</NavLink>
          <NavLink to="/tables">Tables</NavLink>
          <NavLink to="/models">Models</NavLink>
          <NavLink to="/agents">Agents</NavLink>
          <NavLink to="/templates">Templates</NavLink>
          <NavLink to="/marketplace">Marketplace</NavLink>
          {inbox && <InboxNavLink workspaceId={inbox.workspaceId} pendingCount={inbox.pendingCount} />}
          {nav.credentials && <NavLink to="/credentials">Credentials</NavLink>}
          {nav.members && <NavLink to="/settings/members">Members</NavLink>}
          {nav.audit && <NavLink to="/audit">Audit</NavLink>}
          <NavLink to="/account">Account</NavLink>
        </nav>
        <div className="spacer" />
        <div className="user-chip" title={user.email}>
          <span className="avatar">{initials}</span>
          {user.name}
        </div>
        <Form method="post" action="/logout">
          <button className="btn ghost small" type="submit">
            Sign out
          </button>
        </Form>
      </header>
      <Outlet />
    </div>
  );
}
