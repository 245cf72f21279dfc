// What the Browser filmstrip reads from a step: the failed step's evidence or the succeeded output, sent whole or to
// download when large; only well-formed step records and signed-looking file references become cards and links.
import type { StepInfo } from '../../../contracts/step-record';
import { mergeStep, type RunState } from '../../lib/run-view';
import { filmFileIds, filmSource, filmSummary, readFilm, stepAfter } from './browser-filmstrip-state';

const shot = {
  $batonFile: '6650f0c2a1b2c3d4e5f60718',
  name: 'step-1.png',
  mimeType: 'image/png',
  bytes: 2048,
  sig: 's',
};
const trace = { ...shot, $batonFile: '6650f0c2a1b2c3d4e5f60719', name: 'trace.zip', mimeType: 'application/zip' };
const preview = (download: string) => ({ truncated: true as const, bytes: 90_000, preview: '{"steps":[', download });

test('a failed step shows its evidence, a succeeded one its output, others nothing', () => {
  const details = { steps: [] };
  const output = { data: {}, steps: [] };
  expect(filmSource({ status: 'failed', details, output: { error: 'x' } })).toEqual({ value: details });
  expect(filmSource({ status: 'succeeded', output })).toEqual({ value: output });
  expect(filmSource({ status: 'failed', detailsPreview: preview('/d') })).toEqual({ download: '/d', bytes: 90_000 });
  expect(filmSource({ status: 'succeeded', outputPreview: preview('/o') })).toEqual({ download: '/o', bytes: 90_000 });
  expect(filmSource({ status: 'running', output })).toBeUndefined();
  expect(filmSource({ status: 'failed' })).toBeUndefined();
});

test('cards come from well-formed step records, with their screenshot, error and extraction', () => {
  const film = readFilm({
    url: 'http://127.0.0.1:4000/people',
    trace,
    steps: [
      {
        index: 1,
        action: 'goto',
        target: 'http://127.0.0.1:4000/',
        url: 'http://127.0.0.1:4000/',
        durationMs: 120,
        ok: true,
        screenshot: shot,
      },
      {
        index: 2,
        action: 'extractText',
        target: 'css=h1',
        url: 'http://127.0.0.1:4000/',
        durationMs: 8,
        ok: true,
        extracted: 'title',
      },
      'not a step',
      {
        index: 3,
        action: 'click',
        target: 'text=Never',
        ok: false,
        error: 'Timeout 500ms exceeded.',
        screenshot: { ...shot, sig: 1 },
      },
    ],
  });
  expect(film).toEqual({
    url: 'http://127.0.0.1:4000/people',
    trace,
    steps: [
      {
        index: 1,
        action: 'goto',
        target: 'http://127.0.0.1:4000/',
        url: 'http://127.0.0.1:4000/',
        durationMs: 120,
        ok: true,
        screenshot: shot,
      },
      {
        index: 2,
        action: 'extractText',
        target: 'css=h1',
        url: 'http://127.0.0.1:4000/',
        durationMs: 8,
        ok: true,
        extracted: 'title',
      },
      // A screenshot that is not a file reference is left out.
      { index: 3, action: 'click', target: 'text=Never', url: '', ok: false, error: 'Timeout 500ms exceeded.' },
    ],
  });
  expect(filmSummary(film!)).toBe('3 steps · 1 screenshot');
  expect(readFilm({ steps: [{ action: 'goto' }], traceSkipped: 'tracing is off' })).toEqual({
    steps: [{ index: 1, action: 'goto', target: '', url: '', ok: true }],
    traceSkipped: 'tracing is off',
  });
  expect(filmSummary(readFilm({ steps: [{ action: 'goto' }] })!)).toBe('1 step · no screenshots');
  expect(readFilm({ error: 'continue-on-fail output' })).toBeUndefined();
  expect(readFilm('text')).toBeUndefined();
});

test('the arrow keys stop at the first and the last step', () => {
  expect(stepAfter(0, -1, 5)).toBe(0);
  expect(stepAfter(0, 1, 5)).toBe(1);
  expect(stepAfter(4, 1, 5)).toBe(4);
  expect(stepAfter(3, -1, 5)).toBe(2);
  expect(stepAfter(0, 1, 0)).toBe(0);
});

test("a new attempt of a step drops the failed attempt's evidence; a late event of the same attempt keeps it", () => {
  const failed: StepInfo = { nodeId: 'web', nodeName: 'Portal', status: 'failed', attempt: 1, details: { steps: [] } };
  let state: RunState = { run: { runId: 'r' } as RunState['run'], steps: { web: failed } };
  state = mergeStep(state, { nodeId: 'web', nodeName: 'Portal', status: 'failed', attempt: 1 });
  expect(state.steps.web.details).toEqual({ steps: [] });
  state = mergeStep(state, { nodeId: 'web', nodeName: 'Portal', status: 'running', attempt: 2 });
  expect(state.steps.web.details).toBeUndefined();
});

test('the files the film shows (screenshots, trace) are left to it; a downloaded file is not', () => {
  const pdf = { ...shot, $batonFile: '6650f0c2a1b2c3d4e5f6071a', name: 'page.pdf', mimeType: 'application/pdf' };
  const output = {
    trace,
    files: { page: pdf },
    steps: [{ index: 1, action: 'pdf', target: '', url: 'http://127.0.0.1:4000/', ok: true, screenshot: shot }],
  };
  expect([...filmFileIds(output)].sort()).toEqual([shot.$batonFile, trace.$batonFile]);
  expect(filmFileIds({ files: { page: pdf } }).size).toBe(0);
  expect(filmFileIds(undefined).size).toBe(0);
});
