// A server-side browser page shown live: draws the latest screencast frame scaled to fit, and turns the pointer,
// wheel and keyboard input it receives into LiveInput in page CSS pixels (contracts/browser-live.ts). Click it to
// focus it; then typing goes to the page (characters as `text`, named keys as `key`, Tab included). Escape is never
// sent: it gives the keyboard back (the view loses focus), so a keyboard user can always get out.
import { useCallback, useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { LiveFrame, LiveInput } from '../../../contracts/browser-live';
import './browser.css';

interface Props {
  frame?: LiveFrame;
  onInput(input: LiveInput): void;
  disabled?: boolean;
  /** Shown over the view (connecting, ended, an error); before the first frame it replaces the loading text. */
  status?: string;
}

/** Keys sent by name; other single characters are typed as text. */
const NAMED_KEYS = new Set([
  'Enter',
  'Tab',
  'Backspace',
  'Delete',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Insert',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
]);

/** The LiveInput a key press becomes, or undefined when it stays with the editor. */
function keyInput(e: KeyboardEvent): LiveInput | undefined {
  if (e.key === 'Escape' || e.nativeEvent.isComposing) return undefined;
  const modifiers = [e.ctrlKey && 'Control', e.altKey && 'Alt', e.metaKey && 'Meta'].filter(Boolean) as string[];
  if (e.key.length === 1 && modifiers.length === 0) return { type: 'text', text: e.key };
  if (e.key.length === 1) return { type: 'key', key: [...modifiers, e.key === ' ' ? 'Space' : e.key].join('+') };
  if (!NAMED_KEYS.has(e.key)) return undefined;
  return { type: 'key', key: [...modifiers, ...(e.shiftKey ? ['Shift'] : []), e.key].join('+') };
}

export function LiveBrowserView({ frame, onInput, disabled, status }: Props) {
  const imageRef = useRef<HTMLImageElement>(null);
  const frameRef = useRef(frame);
  frameRef.current = frame;
  const pendingMove = useRef<number | undefined>(undefined);

  /** Page coordinates of a client point, or undefined outside the drawn page (the letterbox around it). */
  const toPage = useCallback((clientX: number, clientY: number) => {
    const image = imageRef.current;
    const current = frameRef.current;
    if (!image || !current) return undefined;
    const box = image.getBoundingClientRect();
    const scale = Math.min(box.width / current.width, box.height / current.height);
    if (!(scale > 0)) return undefined;
    const x = (clientX - box.left - (box.width - current.width * scale) / 2) / scale;
    const y = (clientY - box.top - (box.height - current.height * scale) / 2) / scale;
    if (x < 0 || y < 0 || x > current.width || y > current.height) return undefined;
    return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
  }, []);

  const send = useCallback(
    (input: LiveInput) => {
      if (!disabled) onInput(input);
    },
    [disabled, onInput],
  );

  const pointer = (type: 'down' | 'up') => (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 && e.button !== 2) return;
    const at = toPage(e.clientX, e.clientY);
    if (!at) return;
    e.preventDefault();
    e.currentTarget.focus();
    if (type === 'down') e.currentTarget.setPointerCapture(e.pointerId);
    send({ type, ...at, button: e.button === 2 ? 'right' : 'left' });
  };

  // Hover matters (menus open on it) but a move per mouse event floods the socket: one per animation frame.
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const at = toPage(e.clientX, e.clientY);
    if (!at || pendingMove.current !== undefined) return;
    pendingMove.current = requestAnimationFrame(() => {
      pendingMove.current = undefined;
      send({ type: 'move', ...at });
    });
  };
  useEffect(() => () => cancelAnimationFrame(pendingMove.current ?? 0), []);

  // React's wheel listener is passive; scrolling the page must not also scroll the dialog.
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const onWheel = (e: WheelEvent) => {
      const at = toPage(e.clientX, e.clientY);
      if (!at) return;
      e.preventDefault();
      send({ type: 'wheel', ...at, deltaY: Math.max(-2000, Math.min(2000, e.deltaY)) });
    };
    root.addEventListener('wheel', onWheel, { passive: false });
    return () => root.removeEventListener('wheel', onWheel);
  }, [send, toPage]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      // Not the dialog's Escape too: the first one only leaves the page.
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.blur();
      return;
    }
    const input = keyInput(e);
    if (!input) return;
    // Ctrl+V pastes through onPaste, as text.
    if (input.type === 'key' && /^(Control|Meta)\+v$/i.test(input.key)) return;
    e.preventDefault();
    send(input);
  };

  return (
    <div
      ref={rootRef}
      className={`live-browser${disabled ? ' disabled' : ''}`}
      tabIndex={disabled ? -1 : 0}
      role="application"
      aria-label="Live browser: click to use the page, type to send keys, Escape to leave it"
      aria-disabled={disabled || undefined}
      aria-busy={!frame || undefined}
      data-testid="live-browser"
      onPointerDown={pointer('down')}
      onPointerUp={pointer('up')}
      onPointerMove={onPointerMove}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={onKeyDown}
      onPaste={(e) => {
        const text = e.clipboardData.getData('text/plain');
        if (!text) return;
        e.preventDefault();
        send({ type: 'text', text: text.slice(0, 2000) });
      }}
    >
      {frame ? (
        <img
          ref={imageRef}
          className="live-browser-frame"
          src={`data:image/jpeg;base64,${frame.data}`}
          alt="The remote page"
          draggable={false}
        />
      ) : (
        <div className="live-browser-loading" role="status">
          <span className="spinner" /> {status ?? 'Starting the browser…'}
        </div>
      )}
      {frame && status && (
        <div className="live-browser-status" role="status">
          {status}
        </div>
      )}
    </div>
  );
}
