// The middle of the chat page: the welcome text, the conversation (the person's messages on the right, the
// assistant's on the left), the reply streaming in, what the assistant is doing, and how the chat ended.
import { useEffect, useRef } from 'react';
import type { CallsState } from '../runs/agent-calls-state';
import {
  awaitsAnswer,
  liveTail,
  unconfirmed,
  type ChatLine,
  type ChatSessionView,
  type PendingLine,
} from './chat-state';

function Bubble({ role, text, live }: { role: ChatLine['role']; text: string; live?: boolean }) {
  return (
    <div className={`chat-line ${role}`} data-testid={`chat-${role}`} data-live={live ? 'true' : undefined}>
      <div className="chat-bubble">{text}</div>
    </div>
  );
}

export function ChatConversation({
  welcome,
  session,
  calls,
  pending,
}: {
  welcome: string;
  session?: ChatSessionView;
  calls: CallsState;
  pending: readonly PendingLine[];
}) {
  const lines = session?.lines ?? [];
  const waiting = unconfirmed(pending, lines);
  const tail = session?.agent ? liveTail(calls, session.agent.key, lines) : {};
  const open = !session || session.phase === 'open';
  const owed = open && (awaitsAnswer(lines) || waiting.length > 0);
  const activity = open ? (tail.activity ?? (owed && !tail.streaming ? 'Thinking…' : undefined)) : undefined;

  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const content = `${lines.length}:${waiting.length}:${tail.streaming?.length ?? 0}:${activity}:${session?.phase}`;
  useEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [content]);

  return (
    <div
      className="chat-scroll"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      <div className="chat-thread" role="log" aria-label="Conversation" aria-live="polite">
        <div className="chat-welcome" data-testid="chat-welcome">
          {welcome}
        </div>
        {lines.map((line) => (
          <Bubble key={line.seq} role={line.role} text={line.text} />
        ))}
        {waiting.map((p) => (
          <Bubble key={`p${p.id}`} role="user" text={p.text} />
        ))}
        {tail.streaming && <Bubble role="assistant" text={tail.streaming} live />}
        {activity && (
          <div className="chat-activity muted" role="status" data-testid="chat-activity">
            <span className="chat-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {activity}
          </div>
        )}
        {session?.phase === 'failed' && (
          <div className="banner error" role="alert" data-testid="chat-failed">
            The assistant stopped: {session.error ?? 'the run failed.'} Start a new chat to try again.
          </div>
        )}
        {session?.phase === 'ended' && (
          <div className="chat-ended muted" role="status" data-testid="chat-ended">
            Chat ended
          </div>
        )}
        {session && !session.agent && (
          <div className="banner warning" role="alert">
            This workflow has no Agent set to Conversation &quot;Chat&quot;, so nobody answers here. Ask its builder to
            set one.
          </div>
        )}
      </div>
    </div>
  );
}
