// The members table of the Members page: name and email, role (changeable where the caller outranks the member),
// when they joined, removal behind a confirmation, and for everyone but yourself a reset link and ending their
// sessions (MemberAccess.tsx). Each row posts through its own fetcher.
import { useFetcher } from '@remix-run/react';
import { useEffect, useState } from 'react';
import type { Role } from '../../../contracts/permissions';
import { timeAgo } from '../../lib/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { hasOutcome, MemberAccessButtons, MemberAccessOutcome, useMemberAccess } from './MemberAccess';

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

type Answer = { error?: string } | undefined;

export const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();

export function MemberTable({ members, me, assignable }: { members: MemberRow[]; me: string; assignable: Role[] }) {
  return (
    <section className="settings-section" aria-labelledby="members-heading">
      <header>
        <h2 id="members-heading">
          Members <span className="muted">({members.length})</span>
        </h2>
      </header>
      <div className="card table-card">
        <table className="table">
          <thead>
            <tr>
              <th>Member</th>
              <th>Role</th>
              <th>Joined</th>
              <th className="actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRowView key={m.userId} member={m} self={m.userId === me} assignable={assignable} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MemberRowView({ member, self, assignable }: { member: MemberRow; self: boolean; assignable: Role[] }) {
  const roleFetcher = useFetcher<Answer>();
  const removeFetcher = useFetcher<Answer>();
  const [role, setRole] = useState<Role>(member.role);
  const [confirming, setConfirming] = useState(false);
  const manageable = !self && assignable.includes(member.role);
  const error = roleFetcher.data?.error ?? removeFetcher.data?.error;
  const removing = removeFetcher.state !== 'idle';
  const access = useMemberAccess(member);
  const showOutcome = !self && hasOutcome(access);

  useEffect(() => setRole(member.role), [member.role]);
  useEffect(() => {
    if (removeFetcher.state === 'idle' && removeFetcher.data && !removeFetcher.data.error) setConfirming(false);
  }, [removeFetcher.state, removeFetcher.data]);

  return (
    <>
      <tr style={removing ? { opacity: 0.5 } : undefined} className={showOutcome ? 'has-outcome' : undefined}>
        <td>
          <div className="member-cell">
            <span className="avatar" aria-hidden="true">
              {initialsOf(member.name)}
            </span>
            <div className="who">
              <strong>
                {member.name}
                {self && (
                  <span className="badge accent" style={{ marginLeft: 6 }}>
                    you
                  </span>
                )}
              </strong>
              <span>{member.email}</span>
            </div>
          </div>
          {error && !confirming && (
            <div className="error-text" role="alert">
              {error}
            </div>
          )}
        </td>
        <td>
          {manageable ? (
            <roleFetcher.Form method="post" className="role-form">
              <input type="hidden" name="intent" value="role" />
              <input type="hidden" name="userId" value={member.userId} />
              <label className="visually-hidden" htmlFor={`role-${member.userId}`}>
                Role of {member.name}
              </label>
              <select
                id={`role-${member.userId}`}
                className="select compact"
                name="role"
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
              >
                {assignable.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
              {role !== member.role && (
                <button className="btn small primary" type="submit" disabled={roleFetcher.state !== 'idle'}>
                  {roleFetcher.state !== 'idle' && <span className="spinner" />} Save
                </button>
              )}
            </roleFetcher.Form>
          ) : (
            <span className="badge">{member.role}</span>
          )}
        </td>
        <td className="muted" title={member.joinedAt}>
          {timeAgo(member.joinedAt)}
        </td>
        <td className="actions">
          {!self && <MemberAccessButtons access={access} />}
          {manageable && (
            <button className="btn small ghost" type="button" onClick={() => setConfirming(true)}>
              Remove
            </button>
          )}
          <ConfirmDialog
            open={confirming}
            title={`Remove ${member.name}?`}
            confirmLabel="Remove member"
            danger
            pending={removing}
            error={removeFetcher.data?.error}
            onCancel={() => setConfirming(false)}
            onConfirm={() => removeFetcher.submit({ intent: 'remove', userId: member.userId }, { method: 'post' })}
          >
            <p>
              {member.name} loses access to this workspace and leaves its groups. Their account stays, and they keep
              other workspaces.
            </p>
          </ConfirmDialog>
        </td>
      </tr>
      {showOutcome && (
        <tr className="member-outcome-row">
          <td colSpan={4}>
            <MemberAccessOutcome access={access} />
          </td>
        </tr>
      )}
    </>
  );
}
