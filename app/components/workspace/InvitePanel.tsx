// Inviting people: email, role and expiry make a single-use link, shown once with a copy button; below, the
// pending invites, each revocable.
import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { Role } from '../../../contracts/permissions';
import { dateTime } from '../../lib/format';

export interface InviteRow {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

type InviteAnswer = { error?: string; invited?: { invite: InviteRow; link: string } } | undefined;

const EXPIRY_DAYS = [1, 3, 7, 14, 30];

export function InvitePanel({ assignable, invites }: { assignable: Role[]; invites: InviteRow[] }) {
  const fetcher = useFetcher<InviteAnswer>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== 'idle';
  const invited = fetcher.data?.invited;

  useEffect(() => {
    if (fetcher.state === 'idle' && invited) form.current?.reset();
  }, [fetcher.state, invited]);

  return (
    <section className="settings-section" aria-labelledby="invite-heading">
      <header>
        <div>
          <h2 id="invite-heading">Invite people</h2>
          <p className="muted">They get a link that works once. It is shown only here, right after you create it.</p>
        </div>
      </header>
      <div className="card" style={{ padding: 0 }}>
        <fetcher.Form method="post" className="invite-form" ref={form}>
          <input type="hidden" name="intent" value="invite" />
          <div className="field">
            <label htmlFor="invite-email-input">Email</label>
            <input
              id="invite-email-input"
              className="input"
              name="email"
              type="email"
              required
              placeholder="name@company.com"
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor="invite-role">Role</label>
            <select id="invite-role" className="select" name="role" defaultValue="editor">
              {assignable.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="invite-expiry">Expires after</label>
            <select id="invite-expiry" className="select" name="expiresInDays" defaultValue="7">
              {EXPIRY_DAYS.map((d) => (
                <option key={d} value={d}>
                  {d === 1 ? '1 day' : `${d} days`}
                </option>
              ))}
            </select>
          </div>
          <button className="btn primary" type="submit" disabled={busy} style={{ height: 36 }}>
            {busy && <span className="spinner" />} Create invite link
          </button>
        </fetcher.Form>
        {fetcher.data?.error && (
          <div className="banner error" role="alert" style={{ margin: '0 16px 16px' }}>
            {fetcher.data.error}
          </div>
        )}
        {invited && <CreatedLink email={invited.invite.email} link={invited.link} />}
      </div>
      <PendingInvites invites={invites} />
    </section>
  );
}

function CreatedLink({ email, link }: { email: string; link: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div
      className="banner info"
      role="status"
      style={{ margin: '0 16px 16px', flexDirection: 'column', alignItems: 'stretch' }}
    >
      <span>
        Invite link for <strong>{email}</strong>. Copy it now and send it to them; it will not be shown again.
      </span>
      <div className="invite-link">
        <label className="visually-hidden" htmlFor="invite-link">
          Invite link
        </label>
        <input id="invite-link" className="input" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        <button
          className="btn small"
          type="button"
          onClick={() => navigator.clipboard?.writeText(link).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

function PendingInvites({ invites }: { invites: InviteRow[] }) {
  if (invites.length === 0) return <p className="muted">No pending invites.</p>;
  return (
    <div className="card table-card">
      <table className="table" aria-label="Pending invites">
        <thead>
          <tr>
            <th>Invited email</th>
            <th>Role</th>
            <th>Expires</th>
            <th className="actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => (
            <PendingInvite key={invite.id} invite={invite} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PendingInvite({ invite }: { invite: InviteRow }) {
  const fetcher = useFetcher<{ error?: string }>();
  return (
    <tr style={fetcher.state !== 'idle' ? { opacity: 0.5 } : undefined}>
      <td>
        {invite.email}
        {fetcher.data?.error && (
          <div className="error-text" role="alert">
            {fetcher.data.error}
          </div>
        )}
      </td>
      <td>
        <span className="badge">{invite.role}</span>
      </td>
      <td className="muted">{dateTime(invite.expiresAt)}</td>
      <td className="actions">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="revoke-invite" />
          <input type="hidden" name="id" value={invite.id} />
          <button className="btn small ghost" type="submit" aria-label={`Revoke the invite for ${invite.email}`}>
            Revoke
          </button>
        </fetcher.Form>
      </td>
    </tr>
  );
}
