// Inbox keyboard: j/k move between requests, x selects the current one, a/r ask to approve/reject it (the page
// confirms). Keys typed into a field, or with a modifier, are left alone.
import { useEffect, useRef } from 'react';

export interface InboxKeyHandlers {
  move(by: 1 | -1): void;
  toggleSelect(): void;
  decide(decision: 'approve' | 'reject'): void;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.tagName === 'INPUT') return !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type);
  return el.isContentEditable || ['TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('dialog');
}

export function useInboxKeys(handlers: InboxKeyHandlers, enabled: boolean): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const h = latest.current;
      const action: Record<string, () => void> = {
        j: () => h.move(1),
        k: () => h.move(-1),
        x: () => h.toggleSelect(),
        a: () => h.decide('approve'),
        r: () => h.decide('reject'),
      };
      const run = action[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
