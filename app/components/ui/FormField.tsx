// A labelled text input for the account forms (setup, invite): its first error, else its hint, below it.
export function Field(props: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  errors?: string[];
  hint?: string;
  autoFocus?: boolean;
  defaultValue?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className={`input${props.errors?.length ? ' invalid' : ''}`}
        name={props.name}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        required
        autoFocus={props.autoFocus}
        defaultValue={props.defaultValue}
        aria-invalid={props.errors?.length ? true : undefined}
      />
      {props.errors?.length ? (
        <span className="error-text">{props.errors[0]}</span>
      ) : props.hint ? (
        <span className="hint">{props.hint}</span>
      ) : null}
    </div>
  );
}
