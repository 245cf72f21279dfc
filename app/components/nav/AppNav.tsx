// The main navigation of the top bar (docs/decisions/074): the primary pages as links, the rest in the Build and
// Settings menus. On a narrow window it folds behind a "Menu" button into a panel, the menus opening in place.
import { useId } from 'react';
import { Link, useLocation } from '@remix-run/react';
import { InboxNavLink } from '../approvals/InboxNavLink';
import { NavIcon } from './NavIcon';
import { NavMenu } from './NavMenu';
import { currentItem, type Navigation } from './nav-items';
import { useDisclosure } from './useDisclosure';

export interface InboxBadge {
  workspaceId: string;
  pendingCount: number;
}

export function AppNav({ navigation, inbox }: { navigation: Navigation; inbox?: InboxBadge }) {
  const current = currentItem(navigation, useLocation().pathname);
  const drawer = useDisclosure();
  const linksId = useId();
  return (
    <nav aria-label="Main" className="app-nav">
      <div className="app-nav-inner" {...drawer.rootProps}>
        <button {...drawer.triggerProps} className="nav-drawer-toggle" aria-controls={linksId}>
          <NavIcon name="menu" />
          Menu
        </button>
        {/* Always shown on a wide window; the drawer's open state matters only once it folds. */}
        <div
          id={linksId}
          className="app-nav-links"
          data-open={drawer.open || undefined}
          ref={drawer.panelProps.ref}
          onClick={drawer.panelProps.onClick}
        >
          {navigation.primary.map((item) =>
            item.inbox ? (
              inbox && <InboxNavLink key={item.to} workspaceId={inbox.workspaceId} pendingCount={inbox.pendingCount} />
            ) : (
              <Link key={item.to} to={item.to} aria-current={item.to === current ? 'page' : undefined}>
                {item.label}
              </Link>
            ),
          )}
          {navigation.groups.map((group) => (
            <NavMenu key={group.id} group={group} current={current} />
          ))}
        </div>
      </div>
    </nav>
  );
}
