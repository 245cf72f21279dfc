// Save, Run and Publish for the open document, with the notices they raise (conflict, diagnostics, errors).
import { useCallback, useState } from 'react';
import type { Diagnostic } from '../../../ir/types';
import { ApiError, apiFetch } from '../../lib/api-client';
import { useWorkflowStore } from '../../stores/workflow-store-context';

export interface Notice {
  kind: 'error' | 'warning' | 'info';
  message: string;
  conflict?: boolean;
}

const problemCount = (d: Diagnostic[]) => `${d.length} problem${d.length === 1 ? '' : 's'}`;

export function useWorkflowCommands() {
  const store = useWorkflowStore();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<'run' | 'publish' | null>(null);

  const fail = useCallback(
    (err: unknown, what: string) => {
      if (err instanceof ApiError && err.status === 409) {
        setNotice({ kind: 'warning', conflict: true, message: `${err.message}` });
      } else if (err instanceof ApiError && err.diagnostics.length) {
        store.getState().setDiagnostics(err.diagnostics);
        setNotice({
          kind: 'error',
          message: `${what}: ${problemCount(err.diagnostics)} to fix (marked in red). ${err.message}`,
        });
      } else {
        setNotice({ kind: 'error', message: `${what}: ${(err as Error).message}` });
      }
    },
    [store],
  );

  const save = useCallback(async (): Promise<boolean> => {
    const s = store.getState();
    if (s.readOnly) return false;
    if (s.saveStatus === 'saved') return true;
    const seq = s.saveStarted();
    try {
      const res = await apiFetch<{ workflow: { revision: number }; warnings: Diagnostic[] }>(
        `/api/workflows/${s.workflowId}`,
        {
          method: 'PUT',
          body: { revision: s.revision, name: s.name.trim() || 'Untitled workflow', document: s.document() },
        },
      );
      store.getState().saveSucceeded(seq, res.workflow.revision, res.warnings);
      setNotice((n) => (n?.kind === 'info' ? n : null));
      return true;
    } catch (err) {
      store.getState().saveFailed(err instanceof ApiError && err.diagnostics.length ? err.diagnostics : undefined);
      fail(err, 'Not saved');
      return false;
    }
  }, [store, fail]);

  const run = useCallback(async () => {
    const s = store.getState();
    if (s.readOnly || busy) return;
    setBusy('run');
    try {
      // A test run compiles the saved draft, so unsaved edits are saved first.
      if (!(await save())) return;
      const { runId } = await apiFetch<{ runId: string }>('/api/runs', {
        method: 'POST',
        body: { workflowId: s.workflowId, version: 'draft' },
      });
      store
        .getState()
        .showRun({ runId, workflowId: s.workflowId, status: 'queued', startedAt: new Date().toISOString() });
      setNotice(null);
    } catch (err) {
      fail(err, 'Cannot run');
    } finally {
      setBusy(null);
    }
  }, [store, save, fail, busy]);

  const publish = useCallback(async () => {
    const s = store.getState();
    if (s.readOnly || busy) return;
    setBusy('publish');
    try {
      if (!(await save())) return;
      const { version, schedule } = await apiFetch<{ version: { version: number }; schedule?: string }>(
        `/api/workflows/${s.workflowId}/publish`,
        { method: 'POST', body: { revision: store.getState().revision } },
      );
      const live = schedule === 'created' || schedule === 'updated' ? 'Its schedule now runs' : 'Webhooks now run';
      setNotice({ kind: 'info', message: `Published version ${version.version}. ${live} this version.` });
    } catch (err) {
      fail(err, 'Not published');
    } finally {
      setBusy(null);
    }
  }, [store, save, fail, busy]);

  return { save, run, publish, busy, notice, dismissNotice: () => setNotice(null) };
}
