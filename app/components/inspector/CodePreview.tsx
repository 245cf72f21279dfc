// The cheap stand-in for a Monaco editor: the same box, font, line height and line-number gutter, drawn as
// plain text. CodeField shows it until the editor is wanted, so selecting a node never waits for Monaco.
import type { CSSProperties, KeyboardEvent, MouseEvent } from 'react';

/** Shared with MonacoEditor so the preview and the editor lay text out alike. */
export const CODE_FONT = {
  fontFamily: "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace",
  fontSize: 12,
  lineHeight: 18,
};
export const CODE_HEIGHT = 180;
/** Monaco's gutter with `lineNumbersMinChars: 3`, no glyph margin and folding on, at CODE_FONT. */
const GUTTER_WIDTH = 48;
/** More lines than fit in CODE_HEIGHT are never visible, so they are not drawn. */
const MAX_LINES = Math.ceil(CODE_HEIGHT / CODE_FONT.lineHeight) + 1;

const box: CSSProperties = {
  height: CODE_HEIGHT,
  overflow: 'hidden',
  margin: 0,
  font: `${CODE_FONT.fontSize}px/${CODE_FONT.lineHeight}px ${CODE_FONT.fontFamily}`,
  cursor: 'text',
  outline: 'none',
};
const row: CSSProperties = { display: 'flex' };
const lineNumber: CSSProperties = {
  flex: `0 0 ${GUTTER_WIDTH}px`,
  boxSizing: 'border-box',
  paddingRight: 26,
  textAlign: 'right',
  color: '#237893',
  userSelect: 'none',
};
const lineText: CSSProperties = { flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' };

interface Props {
  value: string;
  /** Interactive previews take focus and open the editor; the one shown while Monaco loads is inert. */
  interactive?: { id: string; label: string; readOnly?: boolean; invalid?: boolean; onOpen(at?: ClickPoint): void };
}

export interface ClickPoint {
  clientX: number;
  clientY: number;
}

export function CodePreview({ value, interactive }: Props) {
  const lines = value.split('\n').slice(0, MAX_LINES);
  const body = lines.map((text, i) => (
    <div key={i} style={row}>
      <span style={lineNumber}>{i + 1}</span>
      <span style={lineText}>{text || ' '}</span>
    </div>
  ));
  if (!interactive) {
    return (
      <div style={{ ...box, width: '100%' }} aria-hidden="true">
        {body}
      </div>
    );
  }
  const { id, label, readOnly, invalid, onOpen } = interactive;
  return (
    <div
      id={id}
      // `nokey` keeps React Flow's Delete/Backspace shortcuts away from a focused field.
      className="code-preview nokey"
      style={box}
      role="textbox"
      aria-multiline="true"
      aria-label={label}
      aria-readonly={readOnly || undefined}
      aria-invalid={invalid || undefined}
      tabIndex={0}
      onFocus={() => onOpen()}
      onMouseDown={(e: MouseEvent) => {
        // Keep focus from landing here first: the click itself says where the caret goes.
        e.preventDefault();
        onOpen({ clientX: e.clientX, clientY: e.clientY });
      }}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen();
        }
      }}
    >
      {body}
    </div>
  );
}
