// The workflow overview's error-workflow setting (settings.errorWorkflowId, docs/decisions/034-control-flow-shapes.md):
// which workflow starts, with the failed run's summary, when a run of this one fails.
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { WorkflowPicker } from './WorkflowPicker';

const FIELD_ID = 'workflow-error-workflow';

export function ErrorWorkflowSetting() {
  const value = useEditor((s) => s.settings.errorWorkflowId);
  const workflowId = useEditor((s) => s.workflowId);
  const readOnly = useEditor((s) => s.readOnly);
  const setSettings = useEditor((s) => s.setSettings);
  // Filtered here, not in the selector: a new array from a selector on every read would re-render forever.
  const diagnostics = useEditor((s) => s.diagnostics);
  const problems = diagnostics.filter((d) => d.path?.[0] === 'settings' && d.path[1] === 'errorWorkflowId');
  const store = useWorkflowStore();
  const choose = (next: string | undefined) => {
    const { errorWorkflowId: _previous, ...rest } = store.getState().settings;
    // "None" removes the setting: an empty id would not pass the schema, and absent keeps the plan hash as before.
    setSettings(next ? { ...rest, errorWorkflowId: next } : rest);
  };
  return (
    <section>
      <h3 className="section-title">
        <label htmlFor={FIELD_ID}>Error workflow</label>
      </h3>
      <WorkflowPicker
        id={FIELD_ID}
        label="Error workflow"
        value={value}
        currentWorkflowId={workflowId}
        readOnly={readOnly}
        invalid={problems.length > 0}
        describedBy={problems.length ? `${FIELD_ID}-error` : undefined}
        placeholder="None"
        noneLabel="None"
        unpublishedWarning="Publish it, or it will not start when a run fails."
        onChange={choose}
      />
      {problems.length > 0 && (
        <span className="error-text" id={`${FIELD_ID}-error`} role="alert">
          {problems.map((d) => d.message).join(' ')}
        </span>
      )}
      <p className="muted">
        When a run fails, start this workflow’s published version with the failed run’s summary (
        <code>$input.failedRun</code>)
      </p>
    </section>
  );
}
