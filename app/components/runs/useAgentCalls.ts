// A run's model and tool calls for the run page: the stored records (GET /api/runs/:id/agent-calls), then the run
// room's live `agent` events on top (text streaming in while a model call runs). When a call ends, the records are
// fetched again, shortly after, so each ended call shows its stored record rather than the streamed text.
import { useEffect, useReducer, useRef, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import { subscribeLive } from '../../lib/live.client';
import {
  applyAgentEvent,
  applyRecords,
  awaitsRecords,
  EMPTY_CALLS,
  type AgentCallInfo,
  type AgentEvent,
  type CallsState,
} from './agent-calls-state';

/** Calls that end together are fetched once. */
const REFETCH_DELAY_MS = 300;
/** While a call is running or awaits its record: covers events missed while the socket was reconnecting. */
const SAFETY_POLL_MS = 5_000;

type Action = { kind: 'event'; event: AgentEvent } | { kind: 'records'; records: AgentCallInfo[] } | { kind: 'reset' };

function reduce(state: CallsState, action: Action): CallsState {
  if (action.kind === 'reset') return EMPTY_CALLS;
  return action.kind === 'event' ? applyAgentEvent(state, action.event) : applyRecords(state, action.records);
}

export interface AgentCallsView {
  state: CallsState;
  /** Until the first answer of the API. */
  loading: boolean;
  /** The last fetch failed (the calls shown may be behind); cleared by the next success. */
  error?: string;
}

/** `enabled`: the run has LLM or Agent nodes (no request otherwise). `active`: the run has not finished. */
export function useAgentCalls(runId: string | undefined, { enabled, active }: { enabled: boolean; active: boolean }) {
  const [state, dispatch] = useReducer(reduce, EMPTY_CALLS);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const stateRef = useRef(state);
  stateRef.current = state;
  const activeRef = useRef(active);
  activeRef.current = active;

  useEffect(() => {
    if (!runId || !enabled) return;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    dispatch({ kind: 'reset' });
    setLoading(true);

    const fetchCalls = async () => {
      try {
        const { calls } = await apiFetch<{ calls: AgentCallInfo[] }>(
          `/api/runs/${encodeURIComponent(runId)}/agent-calls`,
        );
        if (disposed) return;
        dispatch({ kind: 'records', records: calls });
        setError(undefined);
      } catch (err) {
        if (!disposed) setError((err as Error).message);
      } finally {
        if (!disposed) setLoading(false);
      }
    };
    const fetchSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void fetchCalls(), REFETCH_DELAY_MS);
    };

    const unsubscribe = subscribeLive({ runId }, (event) => {
      if (event.kind === 'run' && event.status !== 'running') fetchSoon();
      if (event.kind !== 'agent' || event.runId !== runId) return;
      dispatch({ kind: 'event', event });
      if (event.status !== 'running') fetchSoon();
    });
    void fetchCalls();
    const poll = setInterval(() => {
      const current = stateRef.current;
      const running = Object.values(current.calls).some((c) => c.status === 'running');
      if (awaitsRecords(current) || (activeRef.current && running)) void fetchCalls();
    }, SAFETY_POLL_MS);

    return () => {
      disposed = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, [runId, enabled]);

  return { state, loading: enabled && loading, error } satisfies AgentCallsView;
}
