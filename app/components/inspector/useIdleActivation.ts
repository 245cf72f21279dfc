// Defers heavy editors until the selection has settled: a drag that starts on an unselected node selects it
// and renders the inspector mid-gesture, so nothing expensive may be created while a pointer is still down.
import { useEffect } from 'react';

let pointerDown = false;
const onRelease = new Set<() => void>();

// Tracked from module load (capture phase, before React Flow sees the event) because the pointerdown that
// selects a node happens before the inspector that asks "is a gesture running?" mounts.
if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', () => (pointerDown = true), true);
  const release = () => {
    pointerDown = false;
    const waiting = [...onRelease];
    onRelease.clear();
    waiting.forEach((run) => run());
  };
  window.addEventListener('pointerup', release, true);
  window.addEventListener('pointercancel', release, true);
}

/** Calls `run` once no pointer is pressed (at once if none is); returns a canceller. */
function whenPointerReleased(run: () => void): () => void {
  if (!pointerDown) {
    run();
    return () => {};
  }
  onRelease.add(run);
  return () => onRelease.delete(run);
}

/** requestIdleCallback with a deadline, or a plain timer where the browser has none (Safari). */
function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(run, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(run, 50);
  return () => clearTimeout(timer);
}

/**
 * Calls `activate` when the browser is idle after the selection settled: no pointer pressed, then `settleMs`
 * without this component unmounting (selecting another node remounts the inspector's fields), then an idle
 * period (at most `timeoutMs` later). Cancelled on unmount or when `enabled` turns false.
 */
export function useIdleActivation(enabled: boolean, activate: () => void, settleMs = 150, timeoutMs = 1500): void {
  useEffect(() => {
    if (!enabled) return;
    let cancelIdle = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cancelWait = whenPointerReleased(() => {
      timer = setTimeout(() => (cancelIdle = whenIdle(activate, timeoutMs)), settleMs);
    });
    return () => {
      cancelWait();
      clearTimeout(timer);
      cancelIdle();
    };
  }, [enabled, activate, settleMs, timeoutMs]);
}
