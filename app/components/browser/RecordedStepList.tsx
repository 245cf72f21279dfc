// The steps recorded so far, beside the live view: each with what it does and on which element; extractions can be
// renamed and switched between text, table and attribute; a picked list shows its fields and the picked item's values;
// any step can be removed.
import { memo } from 'react';
import type { RecordedAction, RecordedStep } from '../../../contracts/browser-recorder';
import { IconButton } from '../ui/IconButton';

const LABELS: Record<RecordedAction, string> = {
  goto: 'Go to',
  click: 'Click',
  fill: 'Fill',
  press: 'Press',
  select: 'Select',
  check: 'Check',
  uncheck: 'Uncheck',
  extractText: 'Extract text',
  extractTable: 'Extract table',
  extractAttribute: 'Extract attribute',
  extractMany: 'Extract list',
  switchPage: 'Switch page',
};
const REMOVE = 'M4 4l8 8M12 4l-8 8';

interface Props {
  steps: RecordedStep[];
  onChange(steps: RecordedStep[]): void;
}

/** The same pick as another extraction: text of the element, its table, or one of its attributes. */
function switched(step: RecordedStep, choice: string): RecordedStep {
  const pick = step.pick!;
  if (choice === 'extractTable' && pick.table)
    return { ...step, action: 'extractTable', target: pick.table, value: undefined };
  if (choice.startsWith('attr:'))
    return { ...step, action: 'extractAttribute', target: pick.locator, value: choice.slice(5) };
  return { ...step, action: 'extractText', target: pick.locator, value: undefined };
}

/** An extractMany step's fields, each with the value it reads from the picked item. */
function ListFields({ step }: { step: RecordedStep }) {
  const list = step.list!;
  let fields: Record<string, string> = {};
  try {
    fields = JSON.parse(String(step.value)) as Record<string, string>;
  } catch {
    return null;
  }
  return (
    <div className="recorder-step-list">
      <span className="hint">
        {list.count} {list.count === 1 ? 'item' : 'items'} on this page, each with:
      </span>
      <dl>
        {Object.entries(fields).map(([name, locator]) => (
          <div key={name} title={locator}>
            <dt>{name}</dt>
            <dd>{list.sample[name] ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ExtractKind({ step, onChange }: { step: RecordedStep; onChange(s: RecordedStep): void }) {
  const pick = step.pick!;
  const current = step.action === 'extractAttribute' ? `attr:${step.value}` : step.action;
  return (
    <select
      className="select small"
      aria-label="What to extract"
      value={current}
      onChange={(e) => onChange(switched(step, e.target.value))}
    >
      <option value="extractText">Text</option>
      {pick.table && <option value="extractTable">Whole table</option>}
      {pick.attributes.map(([name]) => (
        <option key={name} value={`attr:${name}`}>
          Attribute {name}
        </option>
      ))}
    </select>
  );
}

export const RecordedStepList = memo(function RecordedStepList({ steps, onChange }: Props) {
  const update = (i: number, step: RecordedStep) => onChange(steps.map((s, j) => (j === i ? step : s)));
  if (steps.length === 0)
    return (
      <div className="recorder-steps-empty">
        <p>No steps yet.</p>
        <p className="muted">
          Click, type and choose in the page on the left: each action becomes a step here. Use{' '}
          <strong>Pick element</strong> to extract text or a table, or <strong>Pick list</strong> for the rows of a
          table or the cards of a list.
        </p>
      </div>
    );
  return (
    <ol className="recorder-steps" aria-label="Recorded steps">
      {steps.map((step, i) => {
        const extraction = step.action.startsWith('extract');
        return (
          <li key={step.id} className="recorder-step" data-action={step.action}>
            <div className="recorder-step-head">
              <span className="recorder-step-index">{i + 1}</span>
              <span className="recorder-step-action">{LABELS[step.action]}</span>
              {extraction && step.pick && <ExtractKind step={step} onChange={(s) => update(i, s)} />}
              <span className="recorder-step-remove">
                <IconButton
                  label={`Remove step ${i + 1}`}
                  title="Remove this step"
                  path={REMOVE}
                  onClick={() => onChange(steps.filter((_, j) => j !== i))}
                />
              </span>
            </div>
            <code className="recorder-step-target" title={step.target}>
              {step.target}
            </code>
            {step.value !== undefined && step.action !== 'extractAttribute' && !step.list && (
              <span className="recorder-step-value">
                {step.action === 'press' ? 'Key' : 'Value'}: <code>{step.value}</code>
              </span>
            )}
            {extraction && (
              <label className="recorder-step-name">
                <span>Store as</span>
                <input
                  className="input small"
                  value={step.name ?? ''}
                  aria-label={`Store step ${i + 1} as`}
                  maxLength={128}
                  onChange={(e) => update(i, { ...step, name: e.target.value })}
                />
              </label>
            )}
            {step.list && <ListFields step={step} />}
            {step.pick && step.action === 'extractText' && step.pick.text && (
              <span className="hint">Now: “{step.pick.text}”</span>
            )}
            {step.note && <span className="hint recorder-step-note">{step.note}</span>}
          </li>
        );
      })}
    </ol>
  );
});
