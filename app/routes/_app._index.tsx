// The workflow list of the workspace the caller acts in: name, last change, last run, "Update available" for a
// marketplace install with a newer version; create (N) and delete with confirmation, for members whose role may
// change workflows (workflow.write).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigate, useNavigation, useRouteError, useSubmit } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { PageLoadError } from '../components/ui/PageLoadError';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { ImportN8nDialog } from '../components/n8n-import/ImportN8nDialog';
import { UpdateAvailableBadge } from '../components/marketplace/UpdateAvailableBadge';
import { StatusBadge } from '../components/ui/StatusBadge';
import { requirePageActionCaller, requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { readForm } from '../lib/forms.server';
import { routeErrorMessage, timeAgo } from '../lib/format';
import { listWorkflowsWithLastRun } from '../lib/workflow-list.server';
import { removeWorkflow } from '../lib/workflow-removal.server';
import { createWorkflow } from '../../db/workflows';

export const meta: MetaFunction = () => [{ title: 'Workflows · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/');
  return {
    workflows: await listWorkflowsWithLastRun(caller.scope),
    canWrite: can(caller, 'workflow.write'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const caller = await requirePageActionCaller(request, '/');
  const form = await readForm(request);
  const intent = form.get('intent');
  if (intent === 'create') {
    const workflow = await createWorkflow(caller.scope, { name: 'Untitled workflow', ownerId: caller.user.id });
    return redirect(`/workflows/${workflow.id}`);
  }
  if (intent === 'delete') {
    const runs = form.get('runs') === 'delete' ? 'delete' : 'keep';
    await removeWorkflow({ caller, ip: context.clientIp }, String(form.get('id') ?? ''), runs);
    return { deleted: true };
  }
  throw new Response(`Unknown action "${String(intent)}".`, { status: 400 });
}

export default function WorkflowList() {
  const { workflows, canWrite } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const createForm = useRef<HTMLFormElement>(null);
  const [pendingDelete, setPendingDelete] = useState<{ id: string; name: string } | null>(null);
  const [deleteRuns, setDeleteRuns] = useState(false);
  const [importingN8n, setImportingN8n] = useState(false);
  const creating = navigation.formData?.get('intent') === 'create';
  const deletingId = navigation.formData?.get('intent') === 'delete' ? String(navigation.formData.get('id')) : null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (
        !canWrite ||
        e.key.toLowerCase() !== 'n' ||
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        target.closest('input, textarea, select, [contenteditable], dialog')
      )
        return;
      e.preventDefault();
      createForm.current?.requestSubmit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite]);

  const createButton = (label: string) => (
    <Form method="post" ref={createForm}>
      <input type="hidden" name="intent" value="create" />
      <button className="btn primary" type="submit" disabled={creating}>
        {creating ? <span className="spinner" /> : <PlusIcon />} {label} <kbd>N</kbd>
      </button>
    </Form>
  );

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Workflows</h1>
          <p className="muted">Build automations on the canvas; every run is durable and inspectable step by step.</p>
        </div>
        {canWrite && (
          <div style={{ display: 'flex', gap: 8 }}>
            <button className="btn" type="button" onClick={() => setImportingN8n(true)}>
              Import from n8n
            </button>
            {workflows.length > 0 && createButton('New workflow')}
          </div>
        )}
      </div>

      {workflows.length === 0 ? (
        <div className="card empty">
          <EmptyArt />
          {canWrite ? (
            <>
              <h2>Create your first workflow</h2>
              <p>Drag a trigger onto the canvas, connect a few steps and press Run. You can watch every step live.</p>
              {createButton('Create your first workflow')}
            </>
          ) : (
            <>
              <h2>No workflows here yet</h2>
              <p>
                Your role in this workspace lets you view workflows and their runs; an editor or admin creates them.
              </p>
            </>
          )}
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Last run</th>
                <th>Published</th>
                <th>Updated</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {workflows.map((w) => (
                <tr
                  key={w.id}
                  className="row-link"
                  style={deletingId === w.id ? { opacity: 0.4 } : undefined}
                  onClick={(e) => !(e.target as HTMLElement).closest('a, button') && navigate(`/workflows/${w.id}`)}
                >
                  <td className="name-cell">
                    <Link to={`/workflows/${w.id}`}>{w.name}</Link>
                    {w.updateAvailable && <UpdateAvailableBadge workflowId={w.id} version={w.updateAvailable} />}
                  </td>
                  <td>
                    {w.lastRun ? (
                      <Link to={`/workflows/${w.id}/runs`} className="last-run">
                        <StatusBadge status={w.lastRun.status} />{' '}
                        <span className="muted">{timeAgo(w.lastRun.startedAt)}</span>
                      </Link>
                    ) : (
                      <span className="muted">Never run</span>
                    )}
                  </td>
                  <td>
                    {w.publishedVersion ? (
                      <span className="badge accent">v{w.publishedVersion}</span>
                    ) : (
                      <span className="muted">Draft</span>
                    )}
                  </td>
                  <td className="muted" title={new Date(w.updatedAt).toISOString()}>
                    {timeAgo(w.updatedAt)}
                  </td>
                  <td className="actions">
                    {canWrite && (
                      <button
                        className="btn ghost small"
                        type="button"
                        aria-label={`Delete ${w.name}`}
                        onClick={() => setPendingDelete({ id: w.id, name: w.name })}
                      >
                        <TrashIcon /> Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ImportN8nDialog
        open={importingN8n}
        onClose={() => setImportingN8n(false)}
        onCreated={(id) => navigate(`/workflows/${id}`)}
      />

      <ConfirmDialog
        open={pendingDelete !== null}
        title={`Delete “${pendingDelete?.name ?? ''}”?`}
        confirmLabel="Delete workflow"
        danger
        onCancel={() => {
          setPendingDelete(null);
          setDeleteRuns(false);
        }}
        onConfirm={() => {
          if (pendingDelete)
            submit(
              { intent: 'delete', id: pendingDelete.id, runs: deleteRuns ? 'delete' : 'keep' },
              { method: 'post' },
            );
          setPendingDelete(null);
          setDeleteRuns(false);
        }}
      >
        <p>The workflow leaves this list and the editor, and its webhooks stop answering.</p>
        <fieldset style={{ border: 'none', padding: 0, display: 'grid', gap: 6 }}>
          <legend>Its runs</legend>
          <label>
            <input type="radio" name="runs" checked={!deleteRuns} onChange={() => setDeleteRuns(false)} /> Keep them in
            history
          </label>
          <label>
            <input type="radio" name="runs" checked={deleteRuns} onChange={() => setDeleteRuns(true)} /> Delete them
            too, with their steps and stored outputs (runs in progress are terminated)
          </label>
        </fieldset>
      </ConfirmDialog>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Unknown error');
  return (
    <main className="page">
      <PageLoadError what="your workflows" message={message} />
    </main>
  );
}

function PlusIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

function TrashIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function EmptyArt() {
  return (
    <svg className="empty-art" viewBox="0 0 120 80" aria-hidden="true">
      <rect x="4" y="28" width="30" height="24" rx="6" fill="#eeeefd" stroke="#5b5bd6" strokeWidth="1.5" />
      <rect x="86" y="8" width="30" height="24" rx="6" fill="#ecfdf3" stroke="#12a150" strokeWidth="1.5" />
      <rect x="86" y="48" width="30" height="24" rx="6" fill="#f2f4f7" stroke="#98a2b3" strokeWidth="1.5" />
      <path
        d="M34 40 C60 40 60 20 86 20 M34 40 C60 40 60 60 86 60"
        fill="none"
        stroke="#98a2b3"
        strokeWidth="1.5"
        strokeDasharray="3 3"
      />
      <circle cx="34" cy="40" r="3" fill="#5b5bd6" />
    </svg>
  );
}
