// What the run page's Browser filmstrip shows (BrowserFilmstrip.tsx), read from a Browser step: the succeeded
// output's `steps`, or the failed step's evidence (`details.steps`, `details.trace`). Values arrive as untyped JSON,
// so every field is checked and a card is built only from what has the Browser node's step record shape.
import { isFileRef, type FileRef } from '../../../contracts/file-ref';
import type { StepInfo, ValuePreview } from '../../../contracts/step-record';

export const BROWSER_NODE_TYPE = 'browser';

/** One Browser step as a card: nodes/browser/run.ts `StepRecord`. */
export interface FilmStep {
  index: number;
  action: string;
  target: string;
  url: string;
  durationMs?: number;
  ok: boolean;
  screenshot?: FileRef;
  error?: string;
  /** The name the step stored its extraction under. */
  extracted?: string;
  /** Who finished the step by hand after it failed (a takeover). */
  person?: string;
}

export interface Film {
  steps: FilmStep[];
  /** A Playwright trace of the failed execution (trace.zip). */
  trace?: FileRef;
  /** Why no trace was kept, when the runner says. */
  traceSkipped?: string;
  /** The page the browser was on at the end. */
  url?: string;
}

/** Where a Browser step's film comes from: a value sent whole, or one too large to send, to download. */
export type FilmSource = { value: unknown } | { download: string; bytes: number } | undefined;

/** The value holding a step's film: a failed step's evidence, a succeeded step's output. */
export function filmSource(
  step: Pick<StepInfo, 'status' | 'output' | 'outputPreview' | 'details' | 'detailsPreview'>,
): FilmSource {
  const pick = (value: unknown, preview: ValuePreview | undefined): FilmSource =>
    value !== undefined ? { value } : preview ? { download: preview.download, bytes: preview.bytes } : undefined;
  if (step.status === 'failed') return pick(step.details, step.detailsPreview);
  if (step.status === 'succeeded') return pick(step.output, step.outputPreview);
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function filmStep(raw: unknown, position: number): FilmStep | undefined {
  if (!isRecord(raw) || typeof raw.action !== 'string') return undefined;
  const step: FilmStep = {
    index: count(raw.index) ?? position + 1,
    action: raw.action,
    target: text(raw.target) ?? '',
    url: text(raw.url) ?? '',
    ok: raw.ok !== false,
  };
  const durationMs = count(raw.durationMs);
  if (durationMs !== undefined) step.durationMs = durationMs;
  if (isFileRef(raw.screenshot)) step.screenshot = raw.screenshot;
  const error = text(raw.error);
  if (error) step.error = error;
  const extracted = text(raw.extracted);
  if (extracted) step.extracted = extracted;
  const person = text(raw.person);
  if (person) step.person = person;
  return step;
}

/** The film in a Browser step's output or evidence; undefined when the value holds no step list. */
export function readFilm(value: unknown): Film | undefined {
  if (!isRecord(value) || !Array.isArray(value.steps)) return undefined;
  const steps = value.steps.map(filmStep).filter((s): s is FilmStep => s !== undefined);
  const film: Film = { steps };
  if (isFileRef(value.trace)) film.trace = value.trace;
  const skipped = text(value.traceSkipped);
  if (skipped) film.traceSkipped = skipped;
  const url = text(value.url);
  if (url) film.url = url;
  return film;
}

/** The files a film shows itself (screenshots, trace), which the step's file cards need not show again. */
export function filmFileIds(value: unknown): ReadonlySet<string> {
  const film = readFilm(value);
  const ids = new Set<string>();
  for (const step of film?.steps ?? []) if (step.screenshot) ids.add(step.screenshot.$batonFile);
  if (film?.trace) ids.add(film.trace.$batonFile);
  return ids;
}

/** The step `delta` away from `current` in the dialog, staying within the film (arrow keys stop at the ends). */
export function stepAfter(current: number, delta: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(Math.max(current + delta, 0), total - 1);
}

/** "4 steps · 3 screenshots": the strip's summary line. */
export function filmSummary(film: Film): string {
  const shots = film.steps.filter((s) => s.screenshot).length;
  const steps = `${film.steps.length} step${film.steps.length === 1 ? '' : 's'}`;
  return shots === 0 ? `${steps} · no screenshots` : `${steps} · ${shots} screenshot${shots === 1 ? '' : 's'}`;
}
