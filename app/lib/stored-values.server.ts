// How stored node values reach the browser. Small ones are sent whole; a value over PREVIEW_BYTES of JSON
// (which includes everything kept in the blob store) is sent as a preview, and its full JSON is streamed
// from GridFS by a download route, so no API response carries megabytes.
import { streamResolvedJson, resolvedJsonPrefix } from '../../db/blob-json';
import { resolvedJsonBytes } from '../../db/blobs';
import { getStoredRun } from '../../db/runs';
import { listStepRecords, type StepDoc } from '../../db/steps';
import type { WorkspaceScope } from '../../db/workspaces';
import type { ClientRunOf } from '../../contracts/run-record';
import type { ClientStepOf, ValuePreview } from '../../contracts/step-record';

export const PREVIEW_BYTES = 16 * 1024;

export type ClientStep = ClientStepOf<Date>;
export type ClientRun = ClientRunOf<Date>;

/**
 * A stored field for the browser: the value itself when small, else a preview. Both are undefined when
 * the field is absent, so neither key survives JSON.
 */
async function present(
  json: string | undefined,
  runId: string,
  download: string,
): Promise<{ value?: unknown; preview?: ValuePreview }> {
  if (json === undefined) return {};
  const bytes = await resolvedJsonBytes(json, runId);
  if (bytes <= PREVIEW_BYTES) return { value: JSON.parse(json) };
  const preview = await resolvedJsonPrefix(json, runId, PREVIEW_BYTES);
  return { preview: { truncated: true, bytes, preview, download } };
}

export function stepDownloadPath(
  runId: string,
  nodeId: string,
  field: 'input' | 'output' | 'details',
  iteration = 0,
): string {
  const query = iteration > 0 ? `?iteration=${iteration}` : '';
  return `/api/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(nodeId)}/${field}${query}`;
}

export const runOutputDownloadPath = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/output`;

/** The run's steps; reached through the run, so callers have read it scoped first (`clientRun`). */
export async function clientSteps(runId: string): Promise<ClientStep[]> {
  const docs = await listStepRecords(runId);
  return Promise.all(docs.map(clientStep));
}

/** One step record as the API sends it: values over 16 KB as previews with a download link. */
export async function clientStep(doc: StepDoc): Promise<ClientStep> {
  const { runId, nodeId, iteration } = doc;
  const [input, output, details] = await Promise.all([
    present(doc.input, runId, stepDownloadPath(runId, nodeId, 'input', iteration)),
    present(doc.output, runId, stepDownloadPath(runId, nodeId, 'output', iteration)),
    present(doc.details, runId, stepDownloadPath(runId, nodeId, 'details', iteration)),
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
    ...(details.value !== undefined ? { details: details.value } : {}),
    ...(details.preview ? { detailsPreview: details.preview } : {}),
    startedAt: doc.startedAt,
    endedAt: doc.endedAt,
    durationMs: doc.durationMs,
    ...(doc.reusedFrom ? { reusedFrom: doc.reusedFrom } : {}),
    ...(doc.scheduledAt ? { scheduledAt: doc.scheduledAt } : {}),
    ...(doc.attempts?.length ? { attempts: doc.attempts } : {}),
  };
}

/** The run as the API sends it; another workspace's reads as missing. */
export async function clientRun(scope: WorkspaceScope, runId: string): Promise<ClientRun | undefined> {
  const stored = await getStoredRun(scope, runId);
  if (!stored) return undefined;
  const output = await present(stored.outputJson, runId, runOutputDownloadPath(runId));
  return { ...stored.run, output: output.value, outputPreview: output.preview };
}

/**
 * The full JSON of a stored value as a download, streamed with blob references spliced in. The first
 * chunk is read before answering, so a value that cannot be read fails as an error response.
 */
export async function jsonDownload(json: string, runId: string, filename: string): Promise<Response> {
  const chunks = streamResolvedJson(json, runId);
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
