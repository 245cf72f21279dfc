// How stored node values reach the browser. Small ones are sent whole; a value over PREVIEW_BYTES of JSON
// (which includes everything kept in the blob store) is sent as a preview, and its full JSON is streamed
// from GridFS by a download route, so no API response carries megabytes.
import { streamResolvedJson, resolvedJsonPrefix } from '../../activities/blob-json';
import { resolvedJsonBytes } from '../../activities/blob-store';
import { getStoredRun, type RunView } from '../models/run.server';
import { listStepRecords, type StepDoc, type StepView } from '../models/step.server';
import type { ValuePreview } from './run-view';

export const PREVIEW_BYTES = 16 * 1024;

export type ClientStep = Omit<StepView, 'input' | 'output'> & {
  input?: unknown;
  inputPreview?: ValuePreview;
  output?: unknown;
  outputPreview?: ValuePreview;
};
export type ClientRun = Omit<RunView, 'output'> & { output?: unknown; outputPreview?: ValuePreview };

/**
 * A stored field for the browser: the value itself when small, else a preview. Both are undefined when
 * the field is absent, so neither key survives JSON.
 */
async function present(
  json: string | undefined,
  download: string,
): Promise<{ value?: unknown; preview?: ValuePreview }> {
  if (json === undefined) return {};
  const bytes = resolvedJsonBytes(json);
  if (bytes <= PREVIEW_BYTES) return { value: JSON.parse(json) };
  const preview = await resolvedJsonPrefix(json, PREVIEW_BYTES);
  return { preview: { truncated: true, bytes, preview, download } };
}

export function stepDownloadPath(runId: string, nodeId: string, field: 'input' | 'output', iteration = 0): string {
  const query = iteration > 0 ? `?iteration=${iteration}` : '';
  return `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(nodeId)}/${field}${query}`;
}

export const runOutputDownloadPath = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/output`;

export async function clientSteps(runId: string): Promise<ClientStep[]> {
  const docs = await listStepRecords(runId);
  return Promise.all(docs.map(clientStep));
}

async function clientStep(doc: StepDoc): Promise<ClientStep> {
  const { runId, nodeId, iteration } = doc;
  const [input, output] = await Promise.all([
    present(doc.input, stepDownloadPath(runId, nodeId, 'input', iteration)),
    present(doc.output, stepDownloadPath(runId, nodeId, 'output', iteration)),
  ]);
  return {
    nodeId,
    nodeName: doc.nodeName,
    type: doc.type,
    iteration,
    status: doc.status,
    attempt: doc.attempt,
    input: input.value,
    inputPreview: input.preview,
    output: output.value,
    outputPreview: output.preview,
    outputSize: doc.outputSize,
    error: doc.error?.message ? doc.error : undefined,
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
    durationMs: doc.durationMs,
  };
}

export async function clientRun(runId: string): Promise<ClientRun | undefined> {
  const stored = await getStoredRun(runId);
  if (!stored) return undefined;
  const output = await present(stored.outputJson, runOutputDownloadPath(runId));
  return { ...stored.run, output: output.value, outputPreview: output.preview };
}

/**
 * The full JSON of a stored value as a download, streamed with blob references spliced in. The first
 * chunk is read before answering, so a value that cannot be read fails as an error response.
 */
export async function jsonDownload(json: string, filename: string): Promise<Response> {
  const chunks = streamResolvedJson(json);
  const first = await chunks.next();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(first.value);
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const safeName = filename.replace(/[^\w.-]+/g, '_');
  return new Response(body, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${safeName}"`,
      'Cache-Control': 'no-store',
    },
  });
}
