// The editor's form bar, under the top bar, for a workflow whose trigger is a hosted form (a `form`-bound trigger,
// nodes/triggers.ts): where its page is, and that it serves the published version, not the draft.
import { formBindingOf } from '../../../nodes/triggers';
import { useEditor } from '../../stores/workflow-store-context';
import { NodeIcon } from '../canvas/NodeIcon';

export function FormBar({ workflowId, publishedVersion }: { workflowId: string; publishedVersion: number | null }) {
  const hasForm = useEditor((s) => s.nodes.some((n) => formBindingOf(n.data) !== undefined));
  if (!hasForm) return null;
  const path = `/form/${workflowId}`;
  return (
    <section className="schedule-bar" aria-label="Form" data-testid="form-bar">
      <span className="schedule-bar-icon cat-trigger" aria-hidden="true">
        <NodeIcon icon="form" size={14} />
      </span>
      <strong>Form page</strong>
      {publishedVersion === null ? (
        <span className="muted">
          Publish the workflow to open its form at <span className="mono">{path}</span>.
        </span>
      ) : (
        <>
          <a href={path} target="_blank" rel="noreferrer" className="mono">
            {path}
          </a>
          <span className="muted">serves published version {publishedVersion}; publish again to change it.</span>
        </>
      )}
    </section>
  );
}
