// Where in a page's frames the recorder is: the `frame=` segments that lead to a frame (each iframe named by the
// recorder script in its parent frame, so same-origin and cross-origin frames alike), and the innermost frame under
// a point of the page, with the point in that frame's own coordinates (for picking inside an iframe).
import type { Frame } from 'playwright-core';
import { FRAME_LOCATOR } from '../../nodes/browser/recorder-script';

type WindowFunctions = Record<string, ((...args: unknown[]) => unknown) | undefined>;

/** Iframes nested deeper than this are treated as opaque (a pick lands on the iframe itself). */
const MAX_FRAME_DEPTH = 5;

/** The `frame=` segments from the page's main frame down to `frame` (none for the main frame). */
export async function framePath(frame: Frame): Promise<string[]> {
  const parts: string[] = [];
  for (let current = frame; current.parentFrame(); current = current.parentFrame()!) {
    const owner = await current.frameElement();
    try {
      const css = await owner.evaluate((el, fn) => (window as unknown as WindowFunctions)[fn]?.(el), FRAME_LOCATOR);
      if (typeof css !== 'string' || css === '') throw new Error('the recorder could not name an iframe');
      parts.unshift(`frame=${css}`);
    } finally {
      await owner.dispose();
    }
  }
  return parts;
}

/** A locator found inside the frame `path` leads to, as the Browser node's steps write it. */
export const inFrame = (path: string[], locator: string): string => [...path, locator].join(' >> ');

/** The innermost frame under the point (x, y) of `frame`, and the point in that frame's coordinates. */
export async function frameAt(
  frame: Frame,
  x: number,
  y: number,
  depth = 0,
): Promise<{ frame: Frame; x: number; y: number }> {
  if (depth >= MAX_FRAME_DEPTH) return { frame, x, y };
  const handle = await frame.evaluateHandle(([px, py]) => document.elementFromPoint(px, py), [x, y] as const);
  try {
    const element = handle.asElement();
    const inner = element && (await element.contentFrame());
    if (!element || !inner) return { frame, x, y };
    // The frame's content starts inside the iframe's border and padding.
    const origin = await element.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return {
        x: box.left + el.clientLeft + parseFloat(style.paddingLeft),
        y: box.top + el.clientTop + parseFloat(style.paddingTop),
      };
    });
    return frameAt(inner, x - origin.x, y - origin.y, depth + 1);
  } finally {
    await handle.dispose();
  }
}
