// A workflow's chat page: /chat/<workflow id>, for members who may start runs, when the workflow's published version
// starts with a Chat trigger. Each conversation is one run (mode `chat`): the first message starts it, later ones
// are signals its chatting Agent reads (app/lib/chat.server.ts). The caller's conversations are listed on the left;
// `?session=<run id>` picks one. The assistant's reply grows as it streams on the run's room.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ChatComposer } from '../components/chat/ChatComposer';
import { ChatConversation } from '../components/chat/ChatConversation';
import { ChatSessions } from '../components/chat/ChatSessions';
import type { ChatSessionSummary, PendingLine } from '../components/chat/chat-state';
import { useChatSession } from '../components/chat/useChatSession';
import chatCss from '../components/chat/chat.css?url';
import { BrandMark } from '../components/ui/BrandMark';
import { apiFetch } from '../lib/api-client';
import { requirePageCaller } from '../lib/auth.server';
import { findChat, listChats } from '../lib/chat.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chatCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Baton` : 'Chat' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/chat/:workflowId');
  const found = await findChat(caller.scope, params.workflowId ?? '');
  if (!found.ok) throw new Response(found.message, { status: found.status });
  const { chat } = found;
  return {
    workflowId: chat.workflow.id,
    workflowName: chat.workflow.name,
    title: chat.page.title,
    welcome: chat.page.welcome,
    sessions: await listChats(caller.scope, chat.workflow.id, caller.user),
  };
}

/** Picking a conversation changes only the search: the page's data stays (the list keeps itself current). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  currentUrl.pathname === nextUrl.pathname ? false : defaultShouldRevalidate;

export default function ChatPage() {
  const data = useLoaderData<typeof loader>();
  const [search, setSearch] = useSearchParams();
  const selected = search.get('session') ?? undefined;
  const [sessions, setSessions] = useState<ChatSessionSummary[]>(data.sessions);
  const [pending, setPending] = useState<Array<PendingLine & { runId: string }>>([]);
  const [problem, setProblem] = useState<string>();
  const nextId = useRef(1);
  const { session, calls, error, refresh } = useChatSession(selected);

  const base = `/api/chat/${encodeURIComponent(data.workflowId)}/sessions`;
  const reloadSessions = useCallback(() => {
    apiFetch<{ sessions: ChatSessionSummary[] }>(base).then(
      (answer) => setSessions(answer.sessions),
      () => undefined, // the list stays as it was; the conversation shows its own errors
    );
  }, [base]);

  // A conversation that ends or fails changes how the list shows it.
  const phase = session?.phase;
  useEffect(() => {
    if (phase && phase !== 'open') reloadSessions();
  }, [phase, reloadSessions]);

  const hrefOf = (runId: string) => `?session=${encodeURIComponent(runId)}`;
  const select = (runId: string | undefined) => {
    setProblem(undefined);
    setSearch(runId ? { session: runId } : {});
  };

  const send = async (text: string): Promise<boolean> => {
    setProblem(undefined);
    const id = nextId.current++;
    const afterSeq = session?.lines.at(-1)?.seq ?? -1;
    try {
      if (!selected) {
        const { runId } = await apiFetch<{ runId: string }>(base, { method: 'POST', body: { text } });
        setSessions((list) => [
          { runId, open: true, startedAt: new Date().toISOString(), title: text.slice(0, 80) },
          ...list,
        ]);
        setPending((list) => [...list, { id, runId, text, afterSeq: -1 }]);
        setSearch({ session: runId });
        return true;
      }
      setPending((list) => [...list, { id, runId: selected, text, afterSeq }]);
      await apiFetch(`/api/chat/sessions/${encodeURIComponent(selected)}/messages`, {
        method: 'POST',
        body: { text },
      });
      return true;
    } catch (err) {
      setPending((list) => list.filter((p) => p.id !== id));
      setProblem((err as Error).message);
      refresh();
      return false;
    }
  };

  const close = async () => {
    if (!selected) return;
    try {
      await apiFetch(`/api/chat/sessions/${encodeURIComponent(selected)}/close`, { method: 'POST' });
    } catch (err) {
      setProblem((err as Error).message);
    }
    refresh();
  };

  const open = !selected || !session || session.phase === 'open';
  return (
    <div className="chat-page">
      <header className="chat-topbar">
        <Link to="/" className="chat-brand" aria-label="Baton home">
          <BrandMark size={22} />
        </Link>
        <h1>{data.title}</h1>
        <Link to={`/workflows/${data.workflowId}`} className="muted chat-workflow-link">
          Workflow: {data.workflowName}
        </Link>
      </header>
      <div className="chat-body">
        <ChatSessions
          sessions={sessions.map((s) =>
            s.runId === selected && phase && phase !== 'open' ? { ...s, open: false } : s,
          )}
          selected={selected}
          hrefOf={hrefOf}
          onNew={() => select(undefined)}
        />
        <main className="chat-main" aria-label="Chat">
          <div className="chat-main-header">
            <span className="muted">
              {!selected
                ? 'New chat'
                : session?.phase === 'open'
                  ? `Chatting with ${session.agent?.name ?? 'the workflow'}`
                  : session?.phase === 'failed'
                    ? 'This chat stopped with an error'
                    : session
                      ? 'This chat has ended'
                      : 'Loading…'}
            </span>
            {selected && session?.phase === 'open' && (
              <button type="button" className="btn small" onClick={() => void close()}>
                Close chat
              </button>
            )}
          </div>
          <ChatConversation
            welcome={data.welcome}
            session={session}
            calls={calls}
            pending={pending.filter((p) => p.runId === selected)}
          />
          {(problem || error) && (
            <div className="banner error chat-problem" role="alert">
              {problem ?? `Cannot read this chat: ${error}`}
            </div>
          )}
          {open ? (
            <ChatComposer placeholder="Write a message… (Enter sends, Shift+Enter for a new line)" onSend={send} />
          ) : (
            <div className="chat-composer chat-composer-closed">
              <span className="muted">This chat is over.</span>
              <button type="button" className="btn primary" onClick={() => select(undefined)}>
                Start a new chat
              </button>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
