// This Baton's workflows for the workflow pickers, from GET /api/workflows. The node's picker and the overview's
// error-workflow picker mount and unmount as the selection changes, so one answer is shared for a few seconds
// instead of listing every workflow (and its last run) on each click.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import type { WorkflowOption } from './workflow-options';

const FRESH_MS = 10_000;
let cached: { at: number; promise: Promise<WorkflowOption[]> } | null = null;

function loadWorkflows(force: boolean): Promise<WorkflowOption[]> {
  if (!force && cached && Date.now() - cached.at < FRESH_MS) return cached.promise;
  const promise = apiFetch<{ workflows: WorkflowOption[] }>('/api/workflows').then((r) =>
    r.workflows.map(({ id, name, publishedVersion }) => ({ id, name, publishedVersion })),
  );
  cached = { at: Date.now(), promise };
  // A failed answer is not kept: the next picker (or Retry) asks again.
  promise.catch(() => {
    if (cached?.promise === promise) cached = null;
  });
  return promise;
}

export type WorkflowList =
  | { status: 'loading'; workflows: null }
  | { status: 'ready'; workflows: WorkflowOption[] }
  | { status: 'error'; workflows: null; message: string };

export function useWorkflowList(): WorkflowList & { retry(): void } {
  const [state, setState] = useState<WorkflowList>({ status: 'loading', workflows: null });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading', workflows: null });
    loadWorkflows(attempt > 0).then(
      (workflows) => live && setState({ status: 'ready', workflows }),
      (err: unknown) =>
        live &&
        setState({
          status: 'error',
          workflows: null,
          message: err instanceof ApiError || err instanceof Error ? err.message : String(err),
        }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
