// The agent activity feed's data: the workspace's model and tool calls newest first (GET /api/agent-activity), paged
// back with `before`, and kept live by the workspace's agent room (`{ agentsOf }`). Events of calls that match the
// filters fold in (agent-calls-state.ts); when calls end, the newest page is fetched again so their rows show the
// stored records.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import { subscribeLive } from '../../lib/live.client';
import {
  applyAgentEvent,
  applyRecords,
  EMPTY_CALLS,
  type AgentCallInfo,
  type AgentEvent,
  type CallsState,
  type CallView,
} from '../runs/agent-calls-state';

export const PAGE_SIZE = 50;
const REFETCH_DELAY_MS = 500;

export interface ActivityFilter {
  workflowId: string;
  /** An agent node's name, matched exactly (as the API does). */
  node: string;
}

type Action = { kind: 'event'; event: AgentEvent } | { kind: 'records'; records: AgentCallInfo[] } | { kind: 'reset' };

function reduce(state: CallsState, action: Action): CallsState {
  if (action.kind === 'reset') return EMPTY_CALLS;
  return action.kind === 'event' ? applyAgentEvent(state, action.event) : applyRecords(state, action.records);
}

const matches = (filter: ActivityFilter, event: AgentEvent) =>
  (!filter.workflowId || event.workflowId === filter.workflowId) && (!filter.node || event.nodeName === filter.node);

function pagePath(filter: ActivityFilter, before?: string): string {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter.workflowId) query.set('workflowId', filter.workflowId);
  if (filter.node) query.set('node', filter.node);
  if (before) query.set('before', before);
  return `/api/agent-activity?${query}`;
}

const newestFirst = (a: CallView, b: CallView) => b.startedAt.localeCompare(a.startedAt) || b.seq - a.seq;

export function useAgentActivity(workspaceId: string, filter: ActivityFilter) {
  const [state, dispatch] = useReducer(reduce, EMPTY_CALLS);
  const [status, setStatus] = useState<'loading' | 'ready' | { error: string }>('loading');
  const [more, setMore] = useState<'idle' | 'loading' | { error: string }>('idle');
  const [hasMore, setHasMore] = useState(false);
  /** Moves each time the records are read again after calls ended: the usage totals are read again with it. */
  const [ended, setEnded] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const { workflowId, node } = filter;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  /** Bumped when the filters change: a page asked for under the old ones is dropped. */
  const generation = useRef(0);

  useEffect(() => {
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const current = { workflowId, node };
    generation.current += 1;
    dispatch({ kind: 'reset' });
    setStatus('loading');
    setMore('idle');

    const fetchNewest = async (first: boolean) => {
      try {
        const { calls } = await apiFetch<{ calls: AgentCallInfo[] }>(pagePath(current));
        if (disposed) return;
        dispatch({ kind: 'records', records: calls });
        if (first) setHasMore(calls.length === PAGE_SIZE);
        else setEnded((n) => n + 1);
        setStatus('ready');
      } catch (err) {
        // A failed refresh keeps the rows shown; only a failed first load replaces them with the error.
        if (!disposed && first) setStatus({ error: (err as Error).message });
      }
    };
    const unsubscribe = subscribeLive({ agentsOf: workspaceId }, (event) => {
      if (event.kind !== 'agent' || !matches(current, event)) return;
      dispatch({ kind: 'event', event });
      if (event.status === 'running') return;
      clearTimeout(timer);
      timer = setTimeout(() => void fetchNewest(false), REFETCH_DELAY_MS);
    });
    void fetchNewest(true);
    return () => {
      disposed = true;
      unsubscribe();
      clearTimeout(timer);
    };
  }, [workspaceId, workflowId, node, attempt]);

  const calls = useMemo(() => Object.values(state.calls).sort(newestFirst), [state]);
  const oldest = calls.at(-1)?.startedAt;

  const loadMore = useCallback(async () => {
    if (!oldest) return;
    setMore('loading');
    const asked = generation.current;
    try {
      const { calls: page } = await apiFetch<{ calls: AgentCallInfo[] }>(pagePath(filterRef.current, oldest));
      if (asked !== generation.current) return;
      dispatch({ kind: 'records', records: page });
      setHasMore(page.length === PAGE_SIZE);
      setMore('idle');
    } catch (err) {
      if (asked === generation.current) setMore({ error: (err as Error).message });
    }
  }, [oldest]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return { calls, status, more, hasMore, loadMore, retry, ended };
}
