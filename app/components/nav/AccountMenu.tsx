// The account menu at the right end of the top bar: who is signed in, their Account page, and Sign out. Its content
// exists only while open, so the user's name is on the page once (in the button), not again in a hidden card.
import { useId } from 'react';
import { Form, Link, useLocation } from '@remix-run/react';
import { NavIcon } from './NavIcon';
import { useDisclosure } from './useDisclosure';

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

export function AccountMenu({ user }: { user: { name: string; email: string } }) {
  const { open, rootProps, triggerProps, panelProps } = useDisclosure();
  const panelId = useId();
  const onAccount = useLocation().pathname === '/account';
  const initials = initialsOf(user.name);
  return (
    <div className={`nav-menu account-menu${open ? ' open' : ''}`} {...rootProps}>
      <button
        {...triggerProps}
        className={`account-trigger${onAccount ? ' current' : ''}`}
        aria-controls={panelId}
        aria-label={`Account: ${user.name}`}
        title={user.email}
      >
        <span className="avatar" aria-hidden="true">
          {initials}
        </span>
        <span className="account-name">{user.name}</span>
        <NavIcon name="chevron" size={12} />
      </button>
      <div id={panelId} className="nav-panel align-end" {...panelProps}>
        {open && (
          <>
            <div className="account-card">
              <span className="avatar large" aria-hidden="true">
                {initials}
              </span>
              <span className="nav-panel-text">
                <span className="nav-panel-label">{user.name}</span>
                <span className="nav-panel-desc">{user.email}</span>
              </span>
            </div>
            <ul>
              <li>
                <Link to="/account" className="nav-panel-link" aria-current={onAccount ? 'page' : undefined}>
                  <NavIcon name="account" />
                  <span className="nav-panel-label">Account</span>
                </Link>
              </li>
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="nav-panel-link">
                    <NavIcon name="sign-out" />
                    <span className="nav-panel-label">Sign out</span>
                  </button>
                </Form>
              </li>
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
