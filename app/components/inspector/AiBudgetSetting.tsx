// The workflow overview's monthly AI budget (settings.aiBudgetUsdPerMonth, docs/decisions/053-agents.md): once the
// workflow's model calls have cost this much in the calendar month (UTC), the next one stops its run with an error.
import { useEffect, useState } from 'react';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';

const FIELD_ID = 'workflow-ai-budget';

export function AiBudgetSetting() {
  const value = useEditor((s) => s.settings.aiBudgetUsdPerMonth);
  const readOnly = useEditor((s) => s.readOnly);
  const setSettings = useEditor((s) => s.setSettings);
  const diagnostics = useEditor((s) => s.diagnostics);
  const problems = diagnostics.filter((d) => d.path?.[0] === 'settings' && d.path[1] === 'aiBudgetUsdPerMonth');
  const store = useWorkflowStore();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  useEffect(() => setText(value === undefined ? '' : String(value)), [value]);

  const commit = (raw: string) => {
    const { aiBudgetUsdPerMonth: _previous, ...rest } = store.getState().settings;
    const trimmed = raw.trim();
    // Empty removes the setting, so the plan keeps the hash it had before budgets existed.
    if (trimmed === '') return setSettings(rest);
    const amount = Number(trimmed);
    setSettings({ ...rest, aiBudgetUsdPerMonth: Number.isFinite(amount) ? amount : -1 });
  };
  return (
    <section>
      <h3 className="section-title">
        <label htmlFor={FIELD_ID}>AI budget per month (US$)</label>
      </h3>
      <input
        id={FIELD_ID}
        type="number"
        min={0}
        step="0.01"
        placeholder="No limit"
        value={text}
        disabled={readOnly}
        aria-invalid={problems.length > 0}
        aria-describedby={problems.length ? `${FIELD_ID}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
      />
      {problems.length > 0 && (
        <span className="error-text" id={`${FIELD_ID}-error`} role="alert">
          {problems.map((d) => d.message).join(' ')}
        </span>
      )}
      <p className="muted">
        Once this workflow’s model calls have cost this much in a calendar month (UTC), its next model call stops the
        run with an error. Empty: no limit.
      </p>
    </section>
  );
}
