// The workspace's model registry (docs/decisions/053-agents.md): each model's provider, model id, credential, prices
// and what its probe found; register, edit, probe and delete. LLM and Agent nodes pick models from here. Changing
// needs credential.write (a model spends through its credential); everyone in the workspace reads.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useRevalidator, useRouteError } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ModelBadges } from '../components/models/ModelBadges';
import { ModelDialog } from '../components/models/ModelDialog';
import { PROVIDER_LABELS, priceLines, type ModelRow } from '../components/models/model-view';
import { ProbeButton } from '../components/models/ProbeButton';
import { RoutingSettings } from '../components/models/RoutingSettings';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { RowActions } from '../components/ui/RowActions';
import { ApiError, apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { routeErrorMessage, timeAgo } from '../lib/format';
import inspectorCss from '../styles/inspector.css?url';
import modelsCss from '../styles/models.css?url';
import { listCredentials } from '../../db/credentials';
import { getAiSettings } from '../../db/ai-settings';
import { listModels, modelsDir, PROVIDER_CREDENTIAL, PROVIDER_KINDS } from '../../db/models';

// The dialog's credential picker looks as it does in the inspector.
export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: modelsCss },
];

export const meta: MetaFunction = () => [{ title: 'Models · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/models');
  const canWrite = can(caller, 'credential.write');
  // Credential names are for those who may list credentials; others see that one is set.
  const credentials = can(caller, 'credential.read') ? await listCredentials(caller.scope) : [];
  return {
    models: await listModels(caller.scope.workspaceId),
    credentialNames: Object.fromEntries(credentials.map((c) => [c.id, c.name])),
    providers: PROVIDER_KINDS.map((kind) => ({
      kind,
      ...(kind === 'local-gguf' ? {} : { credentialType: PROVIDER_CREDENTIAL[kind] }),
    })),
    modelsDir: canWrite ? modelsDir() : '',
    canWrite,
    routing: await getAiSettings(caller.scope.workspaceId),
  };
}

/** `n` opens the dialog, as on the workflows page; not while typing or while a dialog is open. */
function useNewShortcut(enabled: boolean, open: () => void) {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (
        e.key.toLowerCase() !== 'n' ||
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        target.closest('input, textarea, select, [contenteditable], dialog') ||
        document.querySelector('dialog[open]')
      )
        return;
      e.preventDefault();
      open();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, open]);
}

export default function Models() {
  const data = useLoaderData<typeof loader>();
  const models = data.models as unknown as ModelRow[];
  const revalidator = useRevalidator();
  // Each opening is a new dialog (`seq`): the closed one's `close` event arrives a task later and must not close it.
  const [dialog, setDialog] = useState<{ editing: ModelRow | null; seq: number } | null>(null);
  const openings = useRef(0);
  const openDialog = useCallback((editing: ModelRow | null) => setDialog({ editing, seq: ++openings.current }), []);
  const closeDialog = (seq: number) => setDialog((d) => (d?.seq === seq ? null : d));
  const [deleting, setDeleting] = useState<ModelRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deletePending, setDeletePending] = useState(false);
  const openNew = useCallback(() => openDialog(null), [openDialog]);
  const [justAdded, setJustAdded] = useState<string | null>(null);
  useNewShortcut(data.canWrite, openNew);

  const remove = async (model: ModelRow) => {
    setDeletePending(true);
    setDeleteError(null);
    try {
      await apiFetch(`/api/models/${model.id}`, { method: 'DELETE' });
      setDeleting(null);
      revalidator.revalidate();
    } catch (err) {
      setDeleteError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setDeletePending(false);
    }
  };

  const newButton = (label: string) => (
    <button className="btn primary" type="button" onClick={openNew}>
      {label} <kbd>N</kbd>
    </button>
  );
  const credentialCell = (m: ModelRow) => {
    if (m.provider === 'local-gguf') return <span className="muted">None (local file)</span>;
    if (!m.credentialId) return <span className="muted">None</span>;
    const name = data.credentialNames[m.credentialId];
    if (name) return name;
    return data.canWrite ? (
      <span className="field-warning">Missing credential</span>
    ) : (
      <span className="muted">Set</span>
    );
  };

  return (
    <main className="page">
      <div className="page-header">
        <div>
          <h1>Models</h1>
          <p className="muted">
            The language models your LLM and Agent nodes may call: hosted APIs through a credential, or GGUF files run
            by Baton’s gpu workers. Each is probed for what it supports, and its prices turn token counts into costs.
          </p>
        </div>
        {models.length > 0 && data.canWrite && newButton('Add model')}
      </div>
      {revalidator.state === 'loading' && (
        <p className="muted" role="status">
          <span className="spinner" /> Updating…
        </p>
      )}
      {models.length === 0 ? (
        <div className="card empty">
          <h2>No models yet</h2>
          <p>
            A model is a name for one model of one provider (an OpenAI-compatible server, Anthropic, Ollama, or a local
            GGUF file) with its prices. LLM and Agent nodes pick it by that name, and a fallback model takes over when
            it fails.
          </p>
          {data.canWrite ? (
            newButton('Add model')
          ) : (
            <p>Your role in this workspace lets you see models; an editor or admin adds them.</p>
          )}
        </div>
      ) : (
        <div className="card table-card">
          <table className="table models-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Provider</th>
                <th>Model</th>
                <th>Credential</th>
                <th>Prices</th>
                <th>Supports</th>
                <th className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-model={m.id}>
                  <td className="name-cell">
                    <strong>{m.name}</strong>
                    {m.provider === 'local-gguf' && (
                      <div className="muted model-sub">
                        {m.concurrency} at a time
                        {m.contextLength ? ` · ${m.contextLength.toLocaleString('en')} tokens` : ''}
                      </div>
                    )}
                  </td>
                  <td>{PROVIDER_LABELS[m.provider] ?? m.provider}</td>
                  <td className="mono model-id" title={m.model}>
                    {m.model}
                  </td>
                  <td>{credentialCell(m)}</td>
                  <td className="model-prices-cell">
                    {priceLines(m.prices).map((line) => (
                      <div key={line}>{line}</div>
                    ))}
                  </td>
                  <td>
                    <ModelBadges model={m} />
                    {m.probedAt && (
                      <div className="muted model-sub" title={new Date(m.probedAt).toISOString()}>
                        Probed {timeAgo(m.probedAt)}
                      </div>
                    )}
                  </td>
                  <td className="actions">
                    {data.canWrite && (
                      <>
                        <ProbeButton model={m} autoStart={m.id === justAdded} onDone={() => revalidator.revalidate()} />
                        <RowActions
                          name={m.name}
                          editLabel="Edit"
                          onEdit={() => openDialog(m)}
                          onDelete={() => {
                            setDeleteError(null);
                            setDeleting(m);
                          }}
                        />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {models.length > 0 && (
        <RoutingSettings
          key={JSON.stringify(data.routing)}
          models={models}
          settings={data.routing}
          canWrite={data.canWrite}
          onSaved={() => revalidator.revalidate()}
        />
      )}
      {dialog && (
        <ModelDialog
          key={dialog.seq}
          editing={dialog.editing}
          providers={data.providers}
          modelsDir={data.modelsDir}
          onClose={() => closeDialog(dialog.seq)}
          onSaved={(model) => {
            closeDialog(dialog.seq);
            // A new model, or one now calling something else, has no probe result: its row asks at once.
            if (!model.capabilities) setJustAdded(model.id);
            revalidator.revalidate();
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete model"
        danger
        pending={deletePending}
        error={deleteError}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>
          LLM and Agent nodes that use it fail until they pick another model. The cost of its past calls stays in the
          run records.
        </p>
      </ConfirmDialog>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Something went wrong.');
  return (
    <main className="page">
      <h1>Models</h1>
      <div className="banner error" role="alert">
        Could not show the models: {message}
      </div>
    </main>
  );
}
