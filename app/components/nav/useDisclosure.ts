// A disclosure (a button that shows and hides a panel of links) with the keyboard and pointer behaviour of the W3C
// "disclosure navigation" pattern: Enter/Space toggle, Arrow Down/Up open it and move among its items, Home/End,
// Escape closes and gives focus back to the button; a click outside, focus leaving, or a navigation closes it.
import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { useLocation } from '@remix-run/react';

const ITEMS = 'a[href], button:not([disabled])';

export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  // Arrow keys on the closed button open the panel; its items can take focus only once it is shown.
  const focusOnOpen = useRef<'first' | 'last' | null>(null);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.key]);

  useEffect(() => {
    if (!open) return;
    if (focusOnOpen.current) focusItem(focusOnOpen.current);
    focusOnOpen.current = null;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onPointer);
    return () => window.removeEventListener('pointerdown', onPointer);
  }, [open]);

  // Items of a closed inner menu are in the DOM but not shown, and cannot take focus.
  const items = () =>
    Array.from(panel.current?.querySelectorAll<HTMLElement>(ITEMS) ?? []).filter(
      (el) => el.getClientRects().length > 0,
    );

  function focusItem(which: 'first' | 'last' | 1 | -1) {
    const list = items();
    if (list.length === 0) return;
    const at = list.indexOf(document.activeElement as HTMLElement);
    const index = which === 'first' ? 0 : which === 'last' ? list.length - 1 : (at + which + list.length) % list.length;
    list[index].focus();
  }

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      const onTrigger = e.target === trigger.current;
      if (e.key === 'Escape' && open) {
        // An inner menu closes before the one around it.
        e.stopPropagation();
        setOpen(false);
        trigger.current?.focus();
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && onTrigger) {
        e.preventDefault();
        e.stopPropagation();
        const which = e.key === 'ArrowDown' ? 'first' : 'last';
        if (open) focusItem(which);
        else {
          focusOnOpen.current = which;
          setOpen(true);
        }
      } else if (open && !onTrigger && panel.current?.contains(e.target as Node)) {
        const move = { ArrowDown: 1, ArrowUp: -1, Home: 'first', End: 'last' } as const;
        const which = move[e.key as keyof typeof move];
        if (which === undefined) return;
        e.preventDefault();
        e.stopPropagation();
        focusItem(which);
      }
    },
    [open],
  );

  // Tabbing past the last item closes the panel; a click on its own text (no focus target) does not.
  const onBlur = (e: FocusEvent) => {
    if (e.relatedTarget && !root.current?.contains(e.relatedTarget as Node)) setOpen(false);
  };

  return {
    open,
    setOpen,
    rootProps: { ref: root, onKeyDown, onBlur },
    triggerProps: {
      ref: trigger,
      type: 'button' as const,
      'aria-expanded': open,
      onClick: () => setOpen((was) => !was),
    },
    panelProps: {
      ref: panel,
      hidden: !open,
      // Choosing a link closes the panel even when it leads to the page already open.
      onClick: (e: MouseEvent) => {
        if ((e.target as HTMLElement).closest('a')) setOpen(false);
      },
    },
  };
}
