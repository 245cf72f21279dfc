// GET /api/runs/:id/export: the run as one JSON download, for debugging elsewhere or attaching to a ticket: the run
// record (trigger payload and output), and every step with its input, output, error, failure evidence and timings. Values stored as
// blobs are read back whole up to INLINE_BYTES; a larger one is linked (its download route) rather than inlined.
// Nothing secret is in it: credentials never reach run or step records, and webhook headers are stored redacted.
import { apiHandler } from '../lib/api-route.server';
import { apiError } from '../lib/http.server';
import { runOutputDownloadPath, stepDownloadPath } from '../lib/stored-values.server';
import { streamResolvedJson } from '../../db/blob-json';
import { resolvedJsonBytes } from '../../db/blobs';
import { getStoredRun } from '../../db/runs';
import { listStepRecords } from '../../db/steps';

const INLINE_BYTES = 4 * 1024 * 1024;

/** A stored value (JSON text) with its blobs read back, or a link to it when it is larger than INLINE_BYTES. */
async function exportValue(json: string | undefined, runId: string, download: string): Promise<unknown> {
  if (json === undefined) return undefined;
  const bytes = await resolvedJsonBytes(json, runId);
  if (bytes > INLINE_BYTES) return { truncated: true, bytes, download };
  const chunks: Buffer[] = [];
  for await (const chunk of streamResolvedJson(json, runId)) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const handle = apiHandler('/api/runs/:id/export', {
  GET: async ({ params, caller }) => {
    const runId = params.id!;
    const stored = await getStoredRun(caller.scope, runId);
    if (!stored) return apiError(404, `Run ${runId} does not exist.`);
    const { trigger, output: _output, ...run } = stored.run;
    const steps = await listStepRecords(runId);
    const body = {
      exportedAt: new Date().toISOString(),
      run: {
        ...run,
        trigger: await exportValue(JSON.stringify(trigger ?? null), runId, ''),
        output: await exportValue(stored.outputJson, runId, runOutputDownloadPath(runId)),
      },
      steps: await Promise.all(
        steps.map(async ({ _id, runId: _r, updatedAt: _u, input, output, details, ...step }) => ({
          ...step,
          input: await exportValue(input, runId, stepDownloadPath(runId, step.nodeId, 'input', step.iteration)),
          output: await exportValue(output, runId, stepDownloadPath(runId, step.nodeId, 'output', step.iteration)),
          // What a failed node left as evidence (a Browser node's step records, screenshots and trace).
          details: await exportValue(details, runId, stepDownloadPath(runId, step.nodeId, 'details', step.iteration)),
        })),
      ),
    };
    const name = `run-${runId}.json`.replace(/[^\w.-]+/g, '_');
    return new Response(JSON.stringify(body, null, 2), {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      },
    });
  },
});

export const loader = handle;
export const action = handle;
