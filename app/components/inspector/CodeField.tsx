// JSON and code params in Monaco. Creating a Monaco editor costs 60–250 ms, so a field first shows a
// read-only preview of the same size (also what the server renders) and becomes the editor when it is
// focused or clicked, or when the browser is idle after the selection settled (docs/decisions/018).
import { lazy, Suspense, useCallback, useState } from 'react';
import { CodePreview, type ClickPoint } from './CodePreview';
import { useIdleActivation } from './useIdleActivation';

const MonacoEditor = lazy(() => import('./MonacoEditor.client'));

interface Props {
  id: string;
  label: string;
  language: 'json' | 'javascript';
  value: string;
  onChange(text: string): void;
  readOnly?: boolean;
  invalid?: boolean;
  /** Typed hints for the editor (ParamUi.typings). */
  typings?: string;
}

/** Whether the editor is wanted, and where its caret goes when a person asked for it. */
type Editing = { focus: ClickPoint | 'start' | null } | null;

export function CodeField({ id, label, language, value, onChange, readOnly, invalid, typings }: Props) {
  const [editing, setEditing] = useState<Editing>(null);
  const openWhenIdle = useCallback(() => setEditing((e) => e ?? { focus: null }), []);
  useIdleActivation(editing === null, openWhenIdle);
  const preview = (
    <CodePreview
      value={value}
      interactive={{ id, label, readOnly, invalid, onOpen: (at) => setEditing({ focus: at ?? 'start' }) }}
    />
  );
  return (
    <div className={`code-field${invalid ? ' invalid' : ''}`} data-language={language}>
      {editing ? (
        <Suspense fallback={preview}>
          <MonacoEditor
            value={value}
            language={language}
            onChange={onChange}
            readOnly={readOnly}
            ariaLabel={label}
            focusOnMount={editing.focus}
            typings={typings}
            placeholder={<CodePreview value={value} />}
          />
        </Suspense>
      ) : (
        preview
      )}
    </div>
  );
}

/** JSON params keep the text being typed locally and only store it once it parses. */
export function JsonField(
  props: Omit<Props, 'language' | 'value' | 'onChange'> & { value: unknown; onChange(value: unknown): void },
) {
  const [text, setText] = useState(() => (props.value === undefined ? '' : JSON.stringify(props.value, null, 2)));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <>
      <CodeField
        {...props}
        language="json"
        value={text}
        invalid={props.invalid || !!parseError}
        onChange={(next) => {
          setText(next);
          if (!next.trim()) {
            setParseError(null);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(next));
            setParseError(null);
          } catch (err) {
            setParseError(`Not valid JSON yet: ${(err as Error).message}`);
          }
        }}
      />
      {parseError && <span className="error-text">{parseError}</span>}
    </>
  );
}
