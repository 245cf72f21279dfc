// Loaded lazily in the browser only (see CodeField): Monaco is large and has no server rendering.
import Editor, { loader, type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, type ReactNode } from 'react';
import { CODE_FONT, CODE_HEIGHT, type ClickPoint } from './CodePreview';
import { monaco } from './monaco-setup.client';

loader.config({ monaco });

export interface MonacoEditorProps {
  value: string;
  language: 'json' | 'javascript';
  onChange(value: string): void;
  readOnly?: boolean;
  ariaLabel: string;
  /** Take focus once created: at the start, or with the caret where the preview was clicked. */
  focusOnMount?: ClickPoint | 'start' | null;
  /** Shown while Monaco initialises: CodeField's preview, so the box does not change. */
  placeholder: ReactNode;
  /** Declarations (.d.ts text) offered as typed hints while this editor is open (a param's `typings`). */
  typings?: string;
}

export default function MonacoEditor({
  value,
  language,
  onChange,
  readOnly,
  ariaLabel,
  focusOnMount,
  placeholder,
  typings,
}: MonacoEditorProps) {
  // JavaScript hints are global to Monaco, so they are added while this editor exists and removed with it.
  useEffect(() => {
    if (!typings) return;
    const lib = monaco.languages.typescript.javascriptDefaults.addExtraLib(typings, 'file:///baton/param-typings.d.ts');
    return () => lib.dispose();
  }, [typings]);
  // A new options object makes Monaco re-apply options and re-layout, so it only changes with its inputs.
  // Font, line height and gutter match CodePreview, which stands in until the editor exists.
  const options = useMemo(
    () => ({
      ariaLabel,
      readOnly,
      ...CODE_FONT,
      minimap: { enabled: false },
      glyphMargin: false,
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
  const onMount: OnMount = (editor) => {
    if (!focusOnMount) return;
    editor.focus();
    if (focusOnMount === 'start') return;
    // Hit-testing needs rendered lines, which Monaco draws in one of its first animation frames.
    const { clientX, clientY } = focusOnMount;
    const placeCaret = (framesLeft: number) => {
      const position = editor.getTargetAtClientPoint(clientX, clientY)?.position;
      if (position) editor.setPosition(position);
      else if (framesLeft > 0) requestAnimationFrame(() => placeCaret(framesLeft - 1));
    };
    placeCaret(5);
  };
  return (
    <Editor
      value={value}
      language={language}
      height={CODE_HEIGHT}
      theme="vs"
      onChange={(v) => onChange(v ?? '')}
      onMount={onMount}
      loading={placeholder}
      options={options}
    />
  );
}
