// The Inbox link in the app nav with the caller's pending approvals count, kept live over socket.io: the server
// sends the caller's own count with every approval event of their user room (app/lib/live-relay.server.ts).
import { useEffect, useRef, useState } from 'react';
import { NavLink, useRevalidator } from '@remix-run/react';
import { subscribeInbox } from '../../lib/live.client';

export function InboxNavLink({ workspaceId, pendingCount }: { workspaceId: string; pendingCount: number }) {
  const [count, setCount] = useState(pendingCount);
  const revalidator = useRevalidator();
  // The revalidator changes on every navigation; the subscription must not.
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => setCount(pendingCount), [pendingCount]);
  useEffect(
    () =>
      subscribeInbox(workspaceId, (event) => {
        if (event.pendingCount !== undefined) setCount(event.pendingCount);
        // The inbox page lists what changed; other pages only need the count.
        if (window.location.pathname === '/inbox' && latest.current.state === 'idle') latest.current.revalidate();
      }),
    [workspaceId],
  );
  return (
    <NavLink to="/inbox" aria-label={count > 0 ? `Inbox, ${count} pending` : 'Inbox'}>
      Inbox
      {count > 0 && (
        <span className="nav-count" data-testid="inbox-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </NavLink>
  );
}
