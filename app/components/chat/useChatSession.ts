// One conversation on the chat page, kept current: the stored conversation (GET /api/chat/sessions/:runId), and the
// run room's live `agent` events folded in (agent-calls-state.ts) so the reply grows as it streams. When a call
// starts or ends, or the run or a step moves, the conversation is read again shortly after; a slow poll covers events
// missed while the socket reconnected.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { apiFetch } from '../../lib/api-client';
import { subscribeLive } from '../../lib/live.client';
import { applyAgentEvent, EMPTY_CALLS, type AgentEvent, type CallsState } from '../runs/agent-calls-state';
import type { ChatSessionView } from './chat-state';

/** Events that come together are followed by one read. */
const REFETCH_DELAY_MS = 250;
const SAFETY_POLL_MS = 4_000;

type Action = { kind: 'event'; event: AgentEvent } | { kind: 'reset' };

const reduce = (state: CallsState, action: Action): CallsState =>
  action.kind === 'reset' ? EMPTY_CALLS : applyAgentEvent(state, action.event);

export interface ChatSessionState {
  session?: ChatSessionView;
  calls: CallsState;
  /** The last read failed (what is shown may be behind); cleared by the next success. */
  error?: string;
  /** Reads the conversation again now (after sending or closing). */
  refresh(): void;
}

export function useChatSession(runId: string | undefined): ChatSessionState {
  const [session, setSession] = useState<ChatSessionView>();
  const [calls, dispatch] = useReducer(reduce, EMPTY_CALLS);
  const [error, setError] = useState<string>();
  const fetchRef = useRef<() => void>(() => undefined);
  const open = useRef(false);
  // Until the first read succeeds, the poll keeps trying too.
  open.current = !session || session.phase === 'open';

  useEffect(() => {
    setSession(undefined);
    setError(undefined);
    dispatch({ kind: 'reset' });
    if (!runId) return;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const answer = await apiFetch<{ session: ChatSessionView }>(`/api/chat/sessions/${encodeURIComponent(runId)}`);
        if (disposed) return;
        setSession(answer.session);
        setError(undefined);
      } catch (err) {
        if (!disposed) setError((err as Error).message);
      }
    };
    const readSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void read(), REFETCH_DELAY_MS);
    };
    fetchRef.current = () => void read();
    const unsubscribe = subscribeLive({ runId }, (event) => {
      if (event.runId !== runId) return;
      if (event.kind !== 'agent') {
        readSoon();
        return;
      }
      dispatch({ kind: 'event', event });
      // A call starting follows a message appended to the transcript; a call ending stored its reply.
      if (event.status !== 'running' || event.text === undefined) readSoon();
    });
    void read();
    const poll = setInterval(() => {
      if (open.current) void read();
    }, SAFETY_POLL_MS);
    return () => {
      disposed = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, [runId]);

  const refresh = useCallback(() => fetchRef.current(), []);
  return { session, calls, error, refresh };
}
