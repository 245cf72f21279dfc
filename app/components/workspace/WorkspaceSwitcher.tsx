// The workspace switcher in the top bar: the current workspace, the others to switch to, and "New workspace".
// Switching POSTs to /api/workspaces/:id/switch (which sets the workspace cookie) and reloads on the list page,
// since the page open now may belong to the workspace being left.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Role } from '../../../contracts/permissions';

export interface SwitcherWorkspace {
  id: string;
  name: string;
  role: Role;
  current: boolean;
}

async function post(path: string, body?: unknown): Promise<any> {
  const res = await fetch(path, {
    method: 'POST',
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(parsed?.error?.message ?? `The server answered ${res.status}.`);
  return parsed;
}

export function WorkspaceSwitcher({ workspaces }: { workspaces: SwitcherWorkspace[] }) {
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const current = workspaces.find((w) => w.current);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onPointer = (e: PointerEvent) => !root.current?.contains(e.target as Node) && close();
    window.addEventListener('pointerdown', onPointer);
    return () => window.removeEventListener('pointerdown', onPointer);
  }, [open, creating]);

  function close() {
    setOpen(false);
    setCreating(false);
    setError(null);
  }

  async function switchTo(id: string) {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/workspaces/${encodeURIComponent(id)}/switch`);
      window.location.assign('/');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '');
    setBusy(true);
    setError(null);
    try {
      const { workspace } = await post('/api/workspaces', { name });
      await switchTo(workspace.id);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <div
      className="ws-switcher"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          close();
          toggle.current?.focus();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="ws-switcher-toggle"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Workspace: ${current?.name ?? 'none'}. Switch workspace`}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <span className="ws-mark" aria-hidden="true">
          {(current?.name ?? '?').slice(0, 1).toUpperCase()}
        </span>
        <span className="ws-name">{current?.name ?? 'No workspace'}</span>
        <svg width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" aria-hidden="true">
          <path d="M4 6l4 4 4-4" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      {open && (
        <div className="ws-menu" role="group" aria-label="Workspaces">
          <div className="ws-menu-label">Workspaces</div>
          <ul>
            {workspaces.map((w, i) => (
              <li key={w.id}>
                <button
                  type="button"
                  className={`ws-item${w.current ? ' current' : ''}`}
                  aria-current={w.current || undefined}
                  disabled={busy}
                  data-autofocus={i === 0 && !creating ? '' : undefined}
                  onClick={() => (w.current ? close() : switchTo(w.id))}
                >
                  <span className="ws-item-name">{w.name}</span>
                  <span className="ws-item-role">{w.role}</span>
                  {w.current && (
                    <svg
                      width="14"
                      height="14"
                      viewBox="0 0 16 16"
                      fill="none"
                      stroke="currentColor"
                      aria-hidden="true"
                    >
                      <path d="M3.5 8.5l3 3 6-7" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
                    </svg>
                  )}
                </button>
              </li>
            ))}
          </ul>
          {creating ? (
            <form className="ws-create" onSubmit={create}>
              <label htmlFor="ws-new-name">New workspace name</label>
              <input
                id="ws-new-name"
                className="input"
                name="name"
                required
                maxLength={100}
                placeholder="e.g. HR"
                data-autofocus=""
              />
              <div className="ws-create-actions">
                <button className="btn small" type="button" onClick={() => setCreating(false)} disabled={busy}>
                  Cancel
                </button>
                <button className="btn primary small" type="submit" disabled={busy}>
                  {busy && <span className="spinner" />} Create
                </button>
              </div>
            </form>
          ) : (
            <button type="button" className="ws-item ws-new" onClick={() => setCreating(true)} disabled={busy}>
              + New workspace
            </button>
          )}
          {error && (
            <div className="banner error ws-error" role="alert">
              {error}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
