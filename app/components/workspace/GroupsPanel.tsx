// Named groups on the Members page: create one by name, add and remove members, delete it with confirmation.
import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import type { MemberRow } from './MemberTable';

export interface GroupRow {
  slug: string;
  name: string;
  userIds: string[];
}

type Answer = { error?: string } | undefined;

export function GroupsPanel({ groups, members }: { groups: GroupRow[]; members: MemberRow[] }) {
  const fetcher = useFetcher<Answer & { group?: GroupRow }>();
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.group) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <section className="settings-section" aria-labelledby="groups-heading">
      <header>
        <div>
          <h2 id="groups-heading">Groups</h2>
          <p className="muted">
            Named sets of members, such as “HR directors”, that approvals and notifications target.
          </p>
        </div>
        <fetcher.Form method="post" className="inline-form" ref={form}>
          <input type="hidden" name="intent" value="group-create" />
          <label className="visually-hidden" htmlFor="group-name">
            New group name
          </label>
          <input id="group-name" className="input" name="name" required maxLength={100} placeholder="Group name" />
          <button className="btn" type="submit" disabled={fetcher.state !== 'idle'}>
            {fetcher.state !== 'idle' && <span className="spinner" />} Create group
          </button>
        </fetcher.Form>
      </header>
      {fetcher.data?.error && (
        <div className="banner error" role="alert">
          {fetcher.data.error}
        </div>
      )}
      {groups.length === 0 ? (
        <div className="card empty" style={{ padding: '32px 24px' }}>
          <h2>No groups yet</h2>
          <p>Create a group, then add members to it. Approval steps can then ask “any of HR directors”.</p>
        </div>
      ) : (
        <div className="groups-grid">
          {groups.map((g) => (
            <GroupCard key={g.slug} group={g} members={members} />
          ))}
        </div>
      )}
    </section>
  );
}

function GroupCard({ group, members }: { group: GroupRow; members: MemberRow[] }) {
  const change = useFetcher<Answer>();
  const remove = useFetcher<Answer>();
  const [confirming, setConfirming] = useState(false);
  const byId = new Map(members.map((m) => [m.userId, m]));
  const outside = members.filter((m) => !group.userIds.includes(m.userId));
  return (
    <article className="card group-card" aria-labelledby={`group-${group.slug}`}>
      <header>
        <div>
          <h3 id={`group-${group.slug}`}>{group.name}</h3>
          <span className="slug">{group.slug}</span>
        </div>
        <button className="btn small ghost" type="button" onClick={() => setConfirming(true)}>
          Delete
        </button>
      </header>
      {group.userIds.length === 0 ? (
        <p className="muted">No members yet.</p>
      ) : (
        <ul
          className="chips"
          aria-label={`Members of ${group.name}`}
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {group.userIds.map((id) => (
            <li key={id} className="chip">
              {byId.get(id)?.name ?? id}
              <button
                type="button"
                aria-label={`Remove ${byId.get(id)?.name ?? id} from ${group.name}`}
                disabled={change.state !== 'idle'}
                onClick={() =>
                  change.submit({ intent: 'group-remove', slug: group.slug, userId: id }, { method: 'post' })
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {outside.length > 0 && (
        <change.Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="group-add" />
          <input type="hidden" name="slug" value={group.slug} />
          <label className="visually-hidden" htmlFor={`add-${group.slug}`}>
            Member to add to {group.name}
          </label>
          <select id={`add-${group.slug}`} className="select compact" name="userId" style={{ flex: 1 }}>
            {outside.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
          <button className="btn small" type="submit" disabled={change.state !== 'idle'}>
            Add
          </button>
        </change.Form>
      )}
      {change.data?.error && (
        <div className="error-text" role="alert">
          {change.data.error}
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Delete the group ${group.name}?`}
        confirmLabel="Delete group"
        danger
        pending={remove.state !== 'idle'}
        error={remove.data?.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.submit({ intent: 'group-delete', slug: group.slug }, { method: 'post' })}
      >
        <p>
          Approvals and notifications that target “{group.slug}” will find no one. Its members stay in the workspace.
        </p>
      </ConfirmDialog>
    </article>
  );
}
