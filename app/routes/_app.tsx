// The signed-in shell around list pages: brand, workspace switcher, the main navigation (only the pages the caller
// may open: workspace permissions, and marketplace moderation for instance admins) and the account menu.
import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData, useNavigation } from '@remix-run/react';
import { AccountMenu } from '../components/nav/AccountMenu';
import { AppNav } from '../components/nav/AppNav';
import { navAccessFor, navigationFor } from '../components/nav/nav-items';
import { BrandMark } from '../components/ui/BrandMark';
import { WorkspaceSwitcher } from '../components/workspace/WorkspaceSwitcher';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { moderates } from '../lib/marketplace-reviews.server';
import { myWorkspaces } from '../lib/workspaces.server';
import { pendingCountFor } from '../../db/approvals';
import workspaceCss from '../styles/workspace.css?url';
import approvalsCss from '../styles/approvals.css?url';
import navCss from '../styles/nav.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: navCss },
  { rel: 'stylesheet', href: workspaceCss },
  { rel: 'stylesheet', href: approvalsCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/');
  const access = navAccessFor((permission) => can(caller, permission), moderates(caller));
  return {
    user: { name: caller.user.name, email: caller.user.email },
    workspaces: await myWorkspaces(caller),
    access,
    inbox: access.inbox
      ? {
          workspaceId: caller.scope.workspaceId,
          pendingCount: await pendingCountFor(caller.scope.workspaceId, caller.user.id),
        }
      : undefined,
  };
}

export default function AppShell() {
  const { user, workspaces, access, inbox } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === 'loading';
  return (
    <div className="shell">
      {loading && <div className="progress-bar" role="progressbar" aria-label="Loading" />}
      <header className="topnav">
        <NavLink to="/" className="brand">
          <BrandMark /> <span className="brand-name">Baton</span>
        </NavLink>
        <WorkspaceSwitcher workspaces={workspaces} />
        <AppNav navigation={navigationFor(access)} inbox={inbox} />
        <AccountMenu user={user} />
      </header>
      <Outlet />
    </div>
  );
}
