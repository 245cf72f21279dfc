// The workflow editor: palette, canvas and inspector around one document store; `?run=<id>` shows a past
// run read-only with its node colours. A link to a workflow of another workspace the user belongs to switches the
// browser to that workspace; any other workspace's workflow is not found.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Link,
  isRouteErrorResponse,
  useBeforeUnload,
  useBlocker,
  useLoaderData,
  useRevalidator,
  useRouteError,
} from '@remix-run/react';
import { ReactFlowProvider } from '@xyflow/react';
import flowCss from '@xyflow/react/dist/style.css?url';
import { useCallback, useMemo } from 'react';
import { Canvas } from '../components/canvas/Canvas';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { EditorTopBar } from '../components/editor/EditorTopBar';
import { ChatBar } from '../components/chat/ChatBar';
import { FormBar } from '../components/editor/FormBar';
import { ScheduleBar } from '../components/editor/ScheduleBar';
import { useEditorShortcuts } from '../components/editor/useEditorShortcuts';
import { useLiveDiagnostics } from '../components/editor/useLiveDiagnostics';
import { useWorkflowCommands } from '../components/editor/useWorkflowCommands';
import { Inspector } from '../components/inspector/Inspector';
import { UpdateNotice } from '../components/marketplace/UpdateNotice';
import { Palette } from '../components/palette/Palette';
import { RunPanel } from '../components/runs/RunPanel';
import { useLiveRun } from '../components/runs/useLiveRun';
import { routeErrorMessage } from '../lib/format';
import { requirePageCaller } from '../lib/auth.server';
import { pageWorkflow } from '../lib/workflow-page.server';
import { loadEditor } from '../lib/editor-data.server';
import { editorScheduleView } from '../lib/schedules.server';
import type { ScheduleView } from '../lib/schedule-view';
import { WorkflowStoreProvider, useEditor, useWorkflowStore } from '../stores/workflow-store-context';
import agentsCss from '../styles/agents.css?url';
import canvasCss from '../styles/canvas.css?url';
import editorCss from '../styles/editor.css?url';
import inspectorCss from '../styles/inspector.css?url';
import runPanelCss from '../styles/run-panel.css?url';
import marketplaceCss from '../styles/marketplace.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowCss },
  { rel: 'stylesheet', href: editorCss },
  { rel: 'stylesheet', href: canvasCss },
  { rel: 'stylesheet', href: inspectorCss },
  { rel: 'stylesheet', href: runPanelCss },
  { rel: 'stylesheet', href: agentsCss },
  // The "Publish to marketplace" dialog (docs/decisions/068).
  { rel: 'stylesheet', href: marketplaceCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.workflow.name ?? 'Workflow'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/workflows/:id');
  const workflow = await pageWorkflow(request, caller, params.id!);
  const [editor, schedule] = await Promise.all([
    loadEditor(caller.scope, workflow, new URL(request.url).searchParams.get('run')),
    editorScheduleView(workflow),
  ]);
  return { ...editor, schedule };
}

export default function EditorRoute() {
  const data = useLoaderData<typeof loader>();
  const init = {
    workflowId: data.workflow.id,
    name: data.workflow.name,
    revision: data.workflow.revision,
    document: data.workflow.document,
    specs: data.specs,
    diagnostics: data.diagnostics,
    run: data.viewedRun ?? undefined,
    lastRun: data.lastRun ?? undefined,
    readOnly: data.viewedRun !== null,
  };
  return (
    <WorkflowStoreProvider key={`${data.workflow.id}:${data.viewedRun?.run.runId ?? 'edit'}`} init={init}>
      <ReactFlowProvider>
        <Editor publishedVersion={data.workflow.publishedVersion} schedule={data.schedule} />
      </ReactFlowProvider>
    </WorkflowStoreProvider>
  );
}

function Editor({
  publishedVersion,
  schedule,
}: {
  publishedVersion: number | null;
  schedule: { view: ScheduleView | null; error?: string };
}) {
  const store = useWorkflowStore();
  const { save, run, publish, busy, notice, dismissNotice } = useWorkflowCommands();
  // Publishing or unpublishing changes what the page shows of the live version (its badge, its schedule).
  const revalidator = useRevalidator();
  const shortcuts = useMemo(() => ({ save, run }), [save, run]);
  useEditorShortcuts(shortcuts);
  useLiveDiagnostics();
  useLiveRun();
  // Unsaved edits are never lost silently: closing the tab asks the browser, leaving the page asks us.
  const unsaved = useEditor((s) => s.saveStatus !== 'saved' && !s.readOnly);
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (store.getState().saveStatus !== 'saved' && !store.getState().readOnly) event.preventDefault();
      },
      [store],
    ),
  );
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => unsaved && currentLocation.pathname !== nextLocation.pathname,
  );
  const readOnly = store.getState().readOnly;
  const viewed = store.getState().run?.run.runId;

  return (
    <div className="editor">
      <EditorTopBar
        onSave={() => void save()}
        onRun={() => void run()}
        onPublish={() => void publish().then(() => revalidator.revalidate())}
        busy={busy}
        publishedVersion={publishedVersion}
      />
      <ScheduleBar
        workflowId={store.getState().workflowId}
        initial={schedule.view}
        loadError={schedule.error}
        onUnpublished={() => revalidator.revalidate()}
      />
      <FormBar workflowId={store.getState().workflowId} publishedVersion={publishedVersion} />
      <ChatBar workflowId={store.getState().workflowId} publishedVersion={publishedVersion} />
      {!readOnly && <UpdateNotice workflowId={store.getState().workflowId} />}
      {readOnly && viewed && (
        <div className="editor-banner info">
          <span>
            Viewing run <span className="mono">{viewed}</span> read-only, with the document as it is now.
          </span>
          <Link to=".">Back to editing</Link>
        </div>
      )}
      {notice && (
        <div className={`editor-banner ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.message}</span>
          {notice.conflict && (
            <button className="btn small" type="button" onClick={() => window.location.reload()}>
              Reload latest
            </button>
          )}
          <button className="btn ghost small" type="button" onClick={dismissNotice} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className="editor-main">
        <Palette />
        <div className="editor-center">
          <Canvas />
          <RunPanel />
        </div>
        <Inspector />
      </div>
      <ConfirmDialog
        open={blocker.state === 'blocked'}
        title="Leave without saving?"
        confirmLabel="Leave without saving"
        danger
        onCancel={() => blocker.reset?.()}
        onConfirm={() => blocker.proceed?.()}
      >
        <p>This workflow has changes that are not saved yet. Press Cancel, then Save (Ctrl+S) to keep them.</p>
      </ConfirmDialog>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const message = routeErrorMessage(error, 'Unknown error');
  return (
    <main className="center-page">
      <div className="card narrow">
        <h1>
          {isRouteErrorResponse(error) && error.status === 404 ? 'Workflow not found' : 'The editor could not open'}
        </h1>
        <p className="muted">{message}</p>
        <Link className="btn primary" to="/">
          Back to workflows
        </Link>
      </div>
    </main>
  );
}
