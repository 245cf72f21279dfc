// GET /api/runs/:id/steps/:nodeId/input|output|details[?iteration=N]: one step's whole input, output or failure
// evidence as a JSON download, large values streamed from the blob store. The steps list links here from its previews.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, parseWith } from '../lib/http.server';
import { jsonDownload } from '../lib/stored-values.server';
import { getRun } from '../../db/runs';
import { findStep } from '../../db/steps';

const FIELDS = ['input', 'output', 'details'] as const;
const querySchema = z.object({ iteration: z.coerce.number().int().min(0).default(0) });

const handle = apiHandler('/api/runs/:id/steps/:nodeId/:field', {
  GET: async ({ request, params, caller }) => {
    const { id: runId, nodeId, field } = params as { id: string; nodeId: string; field: string };
    if (!FIELDS.includes(field as (typeof FIELDS)[number]))
      return apiError(404, `A step has an input, an output and failure details to download, not "${field}".`);
    const { iteration } = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
    // Steps are reached through their run, once it is known to be of the caller's workspace.
    if (!(await getRun(caller.scope, runId))) return apiError(404, `Run ${runId} does not exist.`);
    const step = await findStep(runId, nodeId, iteration);
    if (!step) return apiError(404, `Run ${runId} has no step for node "${nodeId}" (iteration ${iteration}).`);
    const json = step[field as (typeof FIELDS)[number]];
    if (json === undefined)
      return apiError(
        404,
        `Step "${step.nodeName}" (${nodeId}) of run ${runId} has no ${field} (it is ${step.status}).`,
      );
    return jsonDownload(json, runId, `${runId}-${nodeId}-${field}.json`);
  },
});

export const loader = handle;
export const action = handle;
