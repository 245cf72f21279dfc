// The credentials page's "Browser sessions" section (docs/decisions/060): the sign-ins Browser nodes saved, by name,
// with their size, sites, the workflows that may use each, the workflow and run that last saved each and when; "Limit"
// picks the workflows allowed (none picked: all of them), delete forgets one (the next run that names it starts signed
// out). The state itself never reaches the page.
import { useRevalidator } from '@remix-run/react';
import { useState } from 'react';
import { formatSize } from '../../../nodes/json-value';
import { ApiError, apiFetch } from '../../lib/api-client';
import { dateTime, timeAgo } from '../../lib/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';

export interface BrowserSessionItem {
  name: string;
  size: number;
  cookies: number;
  sites: string[];
  savedBy: { workflowId: string; workflowName: string | null; runId: string; nodeId: string };
  allowedWorkflows: Array<{ id: string; name: string | null }>;
  updatedAt: string;
  expiresAt: string | null;
}

export interface SessionWorkflowChoice {
  id: string;
  name: string;
}

function AllowedWorkflows({ allowed }: { allowed: BrowserSessionItem['allowedWorkflows'] }) {
  if (allowed.length === 0) return <span className="muted">All workflows</span>;
  const names = allowed.map((w) => w.name ?? 'A deleted workflow');
  return (
    <span title={names.join(', ')}>
      {names[0]}
      {names.length > 1 && <span className="muted"> +{names.length - 1}</span>}
    </span>
  );
}

/** The picker in the "Limit" dialog: a checkbox per workflow of the workspace; none checked means all may use it. */
function WorkflowPicker(props: {
  workflows: SessionWorkflowChoice[];
  picked: Set<string>;
  onChange(picked: Set<string>): void;
}) {
  if (props.workflows.length === 0) return <p className="muted">This workspace has no workflows yet.</p>;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(props.picked);
    if (on) next.add(id);
    else next.delete(id);
    props.onChange(next);
  };
  return (
    <fieldset className="session-workflow-picker">
      <legend className="visually-hidden">Workflows</legend>
      {props.workflows.map((w) => (
        <label key={w.id} className="check-row">
          <input type="checkbox" checked={props.picked.has(w.id)} onChange={(e) => toggle(w.id, e.target.checked)} />
          {w.name}
        </label>
      ))}
    </fieldset>
  );
}

function SavedBy({ savedBy }: { savedBy: BrowserSessionItem['savedBy'] }) {
  if (savedBy.workflowName === null) return <span className="muted">A deleted workflow</span>;
  return (
    <>
      <a href={`/workflows/${savedBy.workflowId}`}>{savedBy.workflowName}</a>
      <span className="muted">
        {' · '}
        <a href={`/runs/${encodeURIComponent(savedBy.runId)}`}>run</a>
      </span>
    </>
  );
}

export function BrowserSessions(props: {
  sessions: BrowserSessionItem[];
  workflows: SessionWorkflowChoice[];
  canDelete: boolean;
}) {
  const revalidator = useRevalidator();
  const [deleting, setDeleting] = useState<BrowserSessionItem | null>(null);
  const [limiting, setLimiting] = useState<BrowserSessionItem | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const startLimiting = (session: BrowserSessionItem) => {
    setError(null);
    setPicked(new Set(session.allowedWorkflows.map((w) => w.id)));
    setLimiting(session);
  };

  const saveLimits = async (session: BrowserSessionItem) => {
    setPending(true);
    setError(null);
    try {
      // A workflow deleted since it was picked is dropped: it cannot be picked again.
      const known = new Set(props.workflows.map((w) => w.id));
      await apiFetch(`/api/browser-sessions/${encodeURIComponent(session.name)}`, {
        method: 'PATCH',
        body: { allowedWorkflowIds: [...picked].filter((id) => known.has(id)) },
      });
      setLimiting(null);
      revalidator.revalidate();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  const remove = async (session: BrowserSessionItem) => {
    setPending(true);
    setError(null);
    try {
      await apiFetch(`/api/browser-sessions/${encodeURIComponent(session.name)}`, { method: 'DELETE' });
      setDeleting(null);
      revalidator.revalidate();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <section className="browser-sessions" aria-labelledby="browser-sessions-heading">
      <div className="browser-sessions-header">
        <h2 id="browser-sessions-heading">Browser sessions</h2>
        <p className="muted">
          Cookies, local storage and IndexedDB a Browser node saved under its Session name, encrypted like credentials.
          A run that names one starts signed in.
        </p>
      </div>
      {props.sessions.length === 0 ? (
        <div className="card browser-sessions-empty">
          <p className="muted">
            No saved sessions. Set <strong>Session</strong> on a Browser node: it saves the browser’s sign-in after a
            successful run, and later runs start from it.
          </p>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Sites</th>
                <th>Workflows</th>
                <th>Size</th>
                <th>Saved by</th>
                <th>Saved</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr key={s.name}>
                  <td className="name-cell">{s.name}</td>
                  <td title={s.sites.join(', ') || undefined}>
                    {s.sites.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      `${s.sites[0]}${s.sites.length > 1 ? ` +${s.sites.length - 1}` : ''}`
                    )}
                  </td>
                  <td>
                    <AllowedWorkflows allowed={s.allowedWorkflows} />
                  </td>
                  <td className="muted">
                    {formatSize(s.size)} · {s.cookies} cookie{s.cookies === 1 ? '' : 's'}
                  </td>
                  <td>
                    <SavedBy savedBy={s.savedBy} />
                  </td>
                  <td className="muted" title={dateTime(s.updatedAt)}>
                    {timeAgo(s.updatedAt)}
                    {s.expiresAt && <span className="browser-session-expiry"> · expires {dateTime(s.expiresAt)}</span>}
                  </td>
                  <td className="actions">
                    {props.canDelete && (
                      <button
                        className="btn ghost small"
                        type="button"
                        aria-label={`Limit session ${s.name} to workflows`}
                        onClick={() => startLimiting(s)}
                      >
                        Limit
                      </button>
                    )}
                    {props.canDelete && (
                      <button
                        className="btn ghost small"
                        type="button"
                        aria-label={`Delete session ${s.name}`}
                        onClick={() => {
                          setError(null);
                          setDeleting(s);
                        }}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete session “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete session"
        danger
        pending={pending}
        error={error}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>Runs that use it start signed out and sign in again (and save a new session if their node is set to).</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={limiting !== null}
        title={`Workflows that may use “${limiting?.name ?? ''}”`}
        confirmLabel="Save"
        pending={pending}
        error={error}
        onCancel={() => setLimiting(null)}
        onConfirm={() => limiting && void saveLimits(limiting)}
      >
        <p className="muted">
          {picked.size === 0
            ? 'None picked: every workflow of this workspace may sign in with this session.'
            : `Only the ${picked.size} picked workflow${picked.size === 1 ? '' : 's'} may sign in with it; a run of another fails at its start.`}
        </p>
        <WorkflowPicker workflows={props.workflows} picked={picked} onChange={setPicked} />
      </ConfirmDialog>
    </section>
  );
}
