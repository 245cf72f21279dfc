// Wizard step 1: the template's inputs, each with its default filled in and its example as placeholder. Checked
// with the same rules the server applies (contracts/templates.ts inputValue), the message under the field.
import { inputValue, type TemplateInput } from '../../../contracts/templates';

const HTML_TYPES = { text: 'text', email: 'email', number: 'number', url: 'url' } as const;

/** The problem of each input, by key. */
export function inputProblems(inputs: TemplateInput[], values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const input of inputs) {
    const { problem } = inputValue(input, values[input.key]);
    if (problem) out[input.key] = `${problem}.`;
  }
  return out;
}

export function InputsStep(props: {
  inputs: TemplateInput[];
  values: Record<string, string>;
  problems: Record<string, string>;
  onChange(key: string, value: string): void;
}) {
  if (props.inputs.length === 0) return <p className="muted">This template needs no settings.</p>;
  return (
    <div className="wizard-fields">
      {props.inputs.map((input) => {
        const id = `template-input-${input.key}`;
        const problem = props.problems[input.key];
        return (
          <div className="field" key={input.key}>
            <label htmlFor={id}>
              {input.label}
              {input.required && <span aria-hidden="true"> *</span>}
            </label>
            <input
              id={id}
              name={input.key}
              className={`input${problem ? ' invalid' : ''}`}
              type={HTML_TYPES[input.type]}
              value={props.values[input.key] ?? ''}
              placeholder={input.example !== undefined ? String(input.example) : undefined}
              required={input.required}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${id}-note`}
              onChange={(e) => props.onChange(input.key, e.target.value)}
            />
            {problem ? (
              <span className="error-text" id={`${id}-note`} role="alert">
                {problem}
              </span>
            ) : (
              <span className="hint" id={`${id}-note`}>
                {input.description ?? (input.example !== undefined ? `For example ${input.example}` : '')}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
