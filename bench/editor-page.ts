// What the editor benchmark does and measures inside the page. The in-page helpers are plain JavaScript text
// installed before the app loads (tsx compiles with keepNames, and the `__name` calls it adds inside functions
// would not exist in the browser); the benchmark calls them with one-line functions, since the app's CSP
// forbids evaluating strings.
import type { BrowserContext, Page } from 'playwright-core';

const PAGE_HELPERS = `
window.__bench = {
  frames: [],
  recording: false,
  mark: undefined,
  startFrames() {
    const b = window.__bench;
    b.frames = [];
    b.recording = true;
    return new Promise((resolve) => requestAnimationFrame((first) => {
      let last = first;
      const tick = (t) => {
        b.frames.push(t - last);
        last = t;
        if (b.recording) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      resolve();
    }));
  },
  stopFrames() {
    const b = window.__bench;
    return new Promise((resolve) => requestAnimationFrame(() => {
      b.recording = false;
      resolve(b.frames);
    }));
  },
  /** Remembers when the next event of this type reaches the page, before any handler of the app runs. */
  markNext(type) {
    const b = window.__bench;
    b.mark = undefined;
    window.addEventListener(type, () => { b.mark = performance.now(); }, { capture: true, once: true });
  },
  /** Ms since the marked event once \`check\` holds, else 0. */
  doneWhen(check, arg) {
    const b = window.__bench;
    if (b.mark === undefined || !b.checks[check](arg)) return 0;
    return Math.max(performance.now() - b.mark, 0.001);
  },
  checks: {
    inspectorShows: (name) =>
      document.querySelector('aside[aria-label="Node settings"] input[aria-label="Node name"]')?.value === name,
    saveStatusIs: (label) => document.querySelector('[data-testid="save-status"]')?.textContent === label,
  },
  /** performance.now() (ms since navigation) once every node is rendered and measured, else 0. */
  canvasReady(count) {
    if (!document.documentElement.hasAttribute('data-hydrated')) return 0;
    const nodes = document.querySelectorAll('.react-flow__node');
    if (nodes.length !== count) return 0;
    for (const el of nodes) if (el.style.visibility === 'hidden') return 0;
    return performance.now();
  },
  /** Visible nodes' centres (viewport px), nearest to the canvas centre first. */
  nodesOnScreen() {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const cx = pane.left + pane.width / 2;
    const cy = pane.top + pane.height / 2;
    const out = [];
    for (const el of document.querySelectorAll('[data-testid="workflow-node"]')) {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (x < pane.left + 40 || x > pane.right - 240 || y < pane.top + 40 || y > pane.bottom - 40) continue;
      out.push({ name: el.dataset.nodeName, x, y, distance: Math.hypot(x - cx, y - cy) });
    }
    return out.sort((a, b) => a.distance - b.distance);
  },
  /** A point of the bare canvas (no node, edge or control under it), nearest to the canvas centre. */
  emptyPanePoint() {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const cx = pane.left + pane.width / 2;
    const cy = pane.top + pane.height / 2;
    for (let radius = 0; radius < Math.max(pane.width, pane.height) / 2; radius += 12) {
      for (let angle = 0; angle < 360; angle += radius ? 15 : 360) {
        const x = cx + radius * Math.cos((angle * Math.PI) / 180);
        const y = cy + radius * Math.sin((angle * Math.PI) / 180);
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  },
};
`;

type Check = 'inspectorShows' | 'saveStatusIs';
interface PageBench {
  startFrames(): Promise<void>;
  stopFrames(): Promise<number[]>;
  markNext(type: string): void;
  doneWhen(check: Check, arg: string): number;
  checks: Record<Check, (arg: string) => boolean>;
  canvasReady(count: number): number;
  nodesOnScreen(): NodeOnScreen[];
  emptyPanePoint(): Point | null;
}
type BenchWindow = { __bench: PageBench };

export interface Point {
  x: number;
  y: number;
}
export interface NodeOnScreen extends Point {
  name: string;
}

export async function installPageHelpers(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: PAGE_HELPERS });
}

/** Opens the editor and answers the ms from navigation until all `count` nodes are on the canvas. */
export async function openEditor(page: Page, url: string, count: number): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const ready = await page.waitForFunction((n) => (window as unknown as BenchWindow).__bench.canvasReady(n), count, {
    polling: 'raf',
    timeout: 180_000,
  });
  return (await ready.jsonValue()) as number;
}

export async function nodesOnScreen(page: Page): Promise<NodeOnScreen[]> {
  return page.evaluate(() => (window as unknown as BenchWindow).__bench.nodesOnScreen());
}

export async function emptyPanePoint(page: Page): Promise<Point> {
  const point = await page.evaluate(() => (window as unknown as BenchWindow).__bench.emptyPanePoint());
  if (!point) throw new Error('No bare canvas point to start a pan from: every point is covered by a node or edge.');
  return point;
}

/** requestAnimationFrame intervals (ms) while `action` runs. */
export async function recordFrames(page: Page, action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
  await action();
  return page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
}

/**
 * Presses the mouse at `from` and sweeps it `reach` px to the right and back for `durationMs`, with a little
 * vertical swing, at about the rate of a 120 Hz mouse. Answers the number of mouse moves sent.
 */
export async function sweep(page: Page, from: Point, reach: number, durationMs: number): Promise<number> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const start = Date.now();
  let moves = 0;
  for (let elapsed = 0; elapsed < durationMs; elapsed = Date.now() - start) {
    const phase = elapsed / durationMs;
    await page.mouse.move(
      from.x + reach * Math.sin(Math.PI * phase),
      from.y + 0.15 * reach * Math.sin(4 * Math.PI * phase),
    );
    moves++;
    await new Promise((resolve) => setTimeout(resolve, 8));
  }
  await page.mouse.move(from.x, from.y);
  await page.mouse.up();
  return moves;
}

/** Ms from the page receiving `eventType` (sent by `act`) until the page check holds. */
export async function timeUntil(
  page: Page,
  eventType: string,
  act: () => Promise<void>,
  check: Check,
  arg: string,
): Promise<number> {
  await page.evaluate((type) => (window as unknown as BenchWindow).__bench.markNext(type), eventType);
  await act();
  const done = await page.waitForFunction(
    ([c, a]) => (window as unknown as BenchWindow).__bench.doneWhen(c, a),
    [check, arg] as const,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await done.jsonValue()) as number;
}

/** Ms from a click on the node until the inspector shows it. */
export function selectNode(page: Page, node: NodeOnScreen): Promise<number> {
  return timeUntil(page, 'pointerdown', () => page.mouse.click(node.x, node.y), 'inspectorShows', node.name);
}

/** Ms from Ctrl+S until the document is saved; moves `node` a little first so that there is something to save. */
export async function saveRoundTrip(page: Page, node: NodeOnScreen): Promise<number> {
  await page.mouse.move(node.x, node.y);
  await page.mouse.down();
  await page.mouse.move(node.x + 12, node.y + 6, { steps: 3 });
  await page.mouse.move(node.x, node.y, { steps: 3 });
  await page.mouse.up();
  await page.waitForFunction(
    () => (window as unknown as BenchWindow).__bench.checks.saveStatusIs('Unsaved changes'),
    undefined,
    {
      timeout: 30_000,
    },
  );
  return timeUntil(page, 'keydown', () => page.keyboard.press('Control+s'), 'saveStatusIs', 'Saved');
}
