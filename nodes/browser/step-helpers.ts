// What both engines (Playwright: run.ts, steps.ts, code/; Puppeteer: puppeteer/) do the same way around a step:
// reading a step's cells, checking a URL, bounding a step's time, and storing what it extracted.

/** How long past the step timeout a step may hang (a call the engine cannot time out) before it is abandoned. */
export const STEP_GRACE_MS = 2_000;

/** A cell as text: numbers and booleans from expressions become their text. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function required(text: string, what: string): string {
  if (text === '') throw new Error(`${what} is empty`);
  return text;
}

/** A goto step's target as an absolute http(s) URL, or an error saying what it is not. */
export function httpUrl(target: string): string {
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new Error(`"${target}" is not an absolute http(s) URL`);
  return url.href;
}

/** Extracted values; a list extracted under a name that already holds a list is appended (page after page). */
export function store(data: Record<string, unknown>, name: string, value: unknown): void {
  const before = data[name];
  data[name] = Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value;
}

/** `work`, or an error saying `message` once `ms` have passed. */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  message = `the step did not finish within ${ms} ms`,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The first line of a Playwright error, without its "locator.click: " prefix. */
export function playwrightReason(err: unknown): string {
  const first = ((err as Error)?.message ?? String(err)).split('\n')[0];
  return first.replace(/^[\w.]+: /, '');
}
