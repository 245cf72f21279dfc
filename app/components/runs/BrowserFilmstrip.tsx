// A Browser step's filmstrip on the run page: one card per browser step (number, action, target, URL, duration,
// ok/failed, screenshot thumbnail, error, extraction), read from the succeeded output or the failed step's evidence
// (browser-filmstrip-state.ts). A thumbnail opens the screenshot large in a dialog where the arrow keys move between
// steps and Escape closes. Thumbnails load lazily, so a 100-step run loads only the screenshots in view.
import { useEffect, useRef, useState } from 'react';
import { fileUrl, type FileRef } from '../../../contracts/file-ref';
import type { StepInfo } from '../../../contracts/step-record';
import { durationLabel, sizeLabel } from '../../lib/run-view';
import { filmSource, filmSummary, readFilm, stepAfter, type Film, type FilmStep } from './browser-filmstrip-state';
import './browser-filmstrip.css';

type Loaded = { film: Film | undefined; error?: undefined } | { film?: undefined; error: string } | undefined;

/** The step's film: parsed from the value sent, or downloaded when the value was too large to send. */
function useFilm(step: StepInfo): Loaded {
  const source = filmSource(step);
  const value = source && 'value' in source ? source.value : undefined;
  const download = source && 'download' in source ? source.download : undefined;
  const [fetched, setFetched] = useState<{ from: string; loaded: Loaded }>();
  useEffect(() => {
    if (!download) return;
    const abort = new AbortController();
    fetch(download, { credentials: 'same-origin', signal: abort.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(`The browser steps could not be loaded (HTTP ${res.status}).`);
        setFetched({ from: download, loaded: { film: readFilm(await res.json()) } });
      })
      .catch((err: Error) => {
        if (!abort.signal.aborted) setFetched({ from: download, loaded: { error: err.message } });
      });
    return () => abort.abort();
  }, [download]);
  if (!source) return { film: undefined };
  if (download) return fetched?.from === download ? fetched.loaded : undefined;
  return { film: readFilm(value) };
}

export function BrowserFilmstrip({ step }: { step: StepInfo }) {
  const loaded = useFilm(step);
  const [open, setOpen] = useState<number | null>(null);
  if (!loaded)
    return (
      <section className="filmstrip" aria-label="Browser steps" aria-busy="true">
        <p className="muted">
          <span className="spinner" /> Loading the browser steps…
        </p>
      </section>
    );
  if (loaded.error)
    return (
      <section className="filmstrip" aria-label="Browser steps">
        <div className="banner error" role="alert">
          {loaded.error}
        </div>
      </section>
    );
  const film = loaded.film;
  if (!film) return null;
  return (
    <section className="filmstrip" aria-label="Browser steps" data-testid="browser-filmstrip">
      <div className="filmstrip-head">
        <h4>Browser steps</h4>
        <span className="muted">{filmSummary(film)}</span>
        {film.trace && <TraceLink trace={film.trace} />}
      </div>
      {film.trace && (
        <p className="filmstrip-hint muted">
          Open the trace at{' '}
          <a href="https://trace.playwright.dev" target="_blank" rel="noreferrer">
            trace.playwright.dev
          </a>{' '}
          or with <code>npx playwright show-trace {film.trace.name}</code>.
        </p>
      )}
      {film.traceSkipped && <p className="filmstrip-hint muted">No trace: {film.traceSkipped}</p>}
      {film.steps.length === 0 ? (
        <p className="muted">No browser step ran.</p>
      ) : (
        <ol className="filmstrip-cards">
          {film.steps.map((s, i) => (
            <FilmCard key={`${s.index}-${i}`} step={s} onOpen={() => setOpen(i)} />
          ))}
        </ol>
      )}
      <ScreenshotDialog steps={film.steps} open={open} onMove={setOpen} onClose={() => setOpen(null)} />
    </section>
  );
}

function TraceLink({ trace }: { trace: FileRef }) {
  return (
    <a
      className="btn small filmstrip-trace"
      href={fileUrl(trace.$batonFile, { download: true })}
      download={trace.name}
      title={`${trace.name} · ${sizeLabel(trace.bytes)}`}
    >
      Download trace
    </a>
  );
}

const stepTitle = (s: FilmStep) => `Step ${s.index} · ${s.action}`;

function FilmCard({ step, onOpen }: { step: FilmStep; onOpen(): void }) {
  return (
    <li className={`film-card${step.ok ? '' : ' failed'}`} data-testid="film-card" aria-label={`Step ${step.index}`}>
      {step.screenshot ? (
        <button
          type="button"
          className="film-thumb"
          onClick={onOpen}
          aria-label={`Open the screenshot of step ${step.index}`}
        >
          <img
            src={fileUrl(step.screenshot.$batonFile)}
            alt={`Screenshot after step ${step.index}`}
            loading="lazy"
            decoding="async"
          />
        </button>
      ) : (
        <div className="film-thumb empty">No screenshot</div>
      )}
      <div className="film-card-body">
        <div className="film-card-head">
          <span className="film-index">{step.index}</span>
          <strong className="film-action">{step.action}</strong>
          <span className={`badge ${step.ok ? 'succeeded' : 'failed'}`}>{step.ok ? 'OK' : 'Failed'}</span>
        </div>
        {step.target && (
          <div className="film-target mono" title={step.target}>
            {step.target}
          </div>
        )}
        {step.url && (
          <div className="film-url muted" title={step.url}>
            {step.url}
          </div>
        )}
        {step.durationMs !== undefined && <div className="muted">{durationLabel(step.durationMs)}</div>}
        {step.error && (
          <p className="film-error" data-testid="film-error">
            {step.error}
          </p>
        )}
        {step.extracted && <span className="badge accent film-extracted">Extracted: {step.extracted}</span>}
        {step.person && <span className="badge reused film-extracted">Finished by {step.person}</span>}
      </div>
    </li>
  );
}

/** The large view of one step's screenshot: ← and → move between steps, Escape closes (natively, <dialog>). */
function ScreenshotDialog(props: {
  steps: FilmStep[];
  open: number | null;
  onMove(index: number): void;
  onClose(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { steps, open } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open !== null && !dialog.open) dialog.showModal();
    if (open === null && dialog.open) dialog.close();
  }, [open]);
  const step = open === null ? undefined : steps[open];
  const move = (delta: number) => open !== null && props.onMove(stepAfter(open, delta, steps.length));
  // On the document, not the dialog: a Previous or Next button that becomes disabled drops the focus to the body.
  const moveRef = useRef(move);
  moveRef.current = move;
  useEffect(() => {
    if (open === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      e.preventDefault();
      moveRef.current(e.key === 'ArrowRight' ? 1 : -1);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="filmstrip-dialog"
      aria-label={step ? stepTitle(step) : 'Screenshot'}
      onClose={props.onClose}
    >
      {step && (
        <>
          <div className="filmstrip-dialog-head">
            <h2>{stepTitle(step)}</h2>
            <span className={`badge ${step.ok ? 'succeeded' : 'failed'}`}>{step.ok ? 'OK' : 'Failed'}</span>
            <span className="muted film-url" title={step.url}>
              {step.url}
            </span>
            <span className="filmstrip-dialog-nav">
              <button type="button" className="btn small" onClick={() => move(-1)} disabled={open === 0}>
                ← Previous
              </button>
              <span className="muted">
                {open! + 1} of {steps.length}
              </span>
              <button type="button" className="btn small" onClick={() => move(1)} disabled={open === steps.length - 1}>
                Next →
              </button>
              <button type="button" className="btn small" onClick={props.onClose} autoFocus>
                Close
              </button>
            </span>
          </div>
          {step.error && <div className="banner error">{step.error}</div>}
          {step.screenshot ? (
            <img
              className="filmstrip-dialog-image"
              src={fileUrl(step.screenshot.$batonFile)}
              alt={`Screenshot after step ${step.index}`}
            />
          ) : (
            <p className="muted filmstrip-dialog-empty">This step has no screenshot.</p>
          )}
        </>
      )}
    </dialog>
  );
}
