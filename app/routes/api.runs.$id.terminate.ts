// POST /api/runs/:id/terminate { reason? }: ends the run's Temporal execution at once, without running any
// cleanup, and records the run `terminated` with the reason and who asked. For a run a cancel did not stop.
// 404 for an unknown run, 409 for one that already ended.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { clientRun } from '../lib/stored-values.server';
import { terminateNow } from '../../temporal/run-control';

const bodySchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();

const handle = apiHandler('/api/runs/:id/terminate', {
  POST: async ({ request, params, user }) => {
    const body = parseWith(bodySchema, (await readJson(request, 16 * 1024, { optional: true })) ?? {});
    const answer = await terminateNow(params.id!, user.name, body.reason || undefined);
    return answer.ok ? json({ run: await clientRun(answer.run.runId) }) : apiError(answer.status, answer.message);
  },
});

export const loader = handle;
export const action = handle;
