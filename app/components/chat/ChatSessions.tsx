// The left column of the chat page: "New chat", then the caller's conversations with this workflow, newest first.
import { Link } from '@remix-run/react';
import { timeAgo } from '../../lib/format';
import type { ChatSessionSummary } from './chat-state';

export function ChatSessions({
  sessions,
  selected,
  hrefOf,
  onNew,
}: {
  sessions: readonly ChatSessionSummary[];
  selected?: string;
  hrefOf(runId: string): string;
  onNew(): void;
}) {
  return (
    <aside className="chat-sessions" aria-label="Chats">
      <button type="button" className="btn primary chat-new" onClick={onNew}>
        New chat
      </button>
      {sessions.length === 0 ? (
        <p className="muted chat-sessions-empty">Your conversations will be listed here.</p>
      ) : (
        <ul>
          {sessions.map((s) => (
            <li key={s.runId}>
              <Link
                to={hrefOf(s.runId)}
                className={`chat-session${s.runId === selected ? ' selected' : ''}`}
                aria-current={s.runId === selected ? 'page' : undefined}
                data-testid="chat-session"
              >
                <span className="chat-session-title">{s.title}</span>
                <span className="chat-session-meta muted">
                  <span className={`chat-session-dot${s.open ? ' live' : ''}`} aria-hidden="true" />
                  {s.open ? 'Open' : 'Ended'} · {timeAgo(s.startedAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
