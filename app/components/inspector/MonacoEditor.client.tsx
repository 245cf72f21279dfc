// Loaded lazily in the browser only (see CodeField): Monaco is large and has no server rendering.
import Editor, { loader } from '@monaco-editor/react';
import { useMemo } from 'react';
import { monaco } from './monaco-setup.client';

loader.config({ monaco });

export interface MonacoEditorProps {
  value: string;
  language: 'json' | 'javascript';
  onChange(value: string): void;
  readOnly?: boolean;
  ariaLabel: string;
  height?: number;
}

export default function MonacoEditor({
  value,
  language,
  onChange,
  readOnly,
  ariaLabel,
  height = 180,
}: MonacoEditorProps) {
  // A new options object makes Monaco re-apply options and re-layout, so it only changes with its inputs.
  const options = useMemo(
    () => ({
      ariaLabel,
      readOnly,
      minimap: { enabled: false },
      fontSize: 12,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      automaticLayout: true,
      tabSize: 2,
      wordWrap: 'on' as const,
      renderLineHighlight: 'none' as const,
      overviewRulerLanes: 0,
      scrollbar: { alwaysConsumeMouseWheel: false },
    }),
    [ariaLabel, readOnly],
  );
  return (
    <Editor
      value={value}
      language={language}
      height={height}
      theme="vs"
      onChange={(v) => onChange(v ?? '')}
      loading={<div className="code-loading">Loading editor…</div>}
      options={options}
    />
  );
}
