// The editor's chat bar, under the top bar, for a workflow whose trigger is a Chat trigger (a `chat`-bound trigger,
// nodes/triggers.ts): a button to its chat page, which serves the published version, not the draft.
import { chatBindingOf } from '../../../nodes/triggers';
import { useEditor } from '../../stores/workflow-store-context';
import { NodeIcon } from '../canvas/NodeIcon';

export function ChatBar({ workflowId, publishedVersion }: { workflowId: string; publishedVersion: number | null }) {
  const hasChat = useEditor((s) => s.nodes.some((n) => chatBindingOf(n.data) !== undefined));
  if (!hasChat) return null;
  const path = `/chat/${workflowId}`;
  return (
    <section className="schedule-bar" aria-label="Chat" data-testid="chat-bar">
      <span className="schedule-bar-icon cat-trigger" aria-hidden="true">
        <NodeIcon icon="chat" size={14} />
      </span>
      <strong>Chat page</strong>
      {publishedVersion === null ? (
        <span className="muted">Publish the workflow to chat with it.</span>
      ) : (
        <>
          <a href={path} target="_blank" rel="noreferrer" className="btn small">
            Chat
          </a>
          <span className="muted">with published version {publishedVersion}; publish again to change it.</span>
        </>
      )}
    </section>
  );
}
