// JSON and code params in Monaco. Until Monaco has loaded (or on the server) a plain textarea stands in.
import { lazy, Suspense, useEffect, useState } from 'react';

const MonacoEditor = lazy(() => import('./MonacoEditor.client'));

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

interface Props {
  id: string;
  label: string;
  language: 'json' | 'javascript';
  value: string;
  onChange(text: string): void;
  readOnly?: boolean;
  invalid?: boolean;
}

export function CodeField({ id, label, language, value, onChange, readOnly, invalid }: Props) {
  const hydrated = useHydrated();
  const fallback = (
    <textarea
      id={id}
      className={`textarea${invalid ? ' invalid' : ''}`}
      aria-label={label}
      value={value}
      readOnly={readOnly}
      onChange={(e) => onChange(e.target.value)}
      rows={8}
      spellCheck={false}
    />
  );
  if (!hydrated) return fallback;
  return (
    <div className={`code-field${invalid ? ' invalid' : ''}`} data-language={language}>
      <Suspense fallback={fallback}>
        <MonacoEditor value={value} language={language} onChange={onChange} readOnly={readOnly} ariaLabel={label} />
      </Suspense>
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
