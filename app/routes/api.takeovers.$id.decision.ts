// POST /api/takeovers/:id/decision { decision: "done" | "give-up", note? }: closes a takeover task as the caller.
// "done" lets the Browser node go on with its next step; "give-up" fails the step with the note. A token needs the
// `approve` scope. 403 for someone the task does not ask, 409 once it is closed, 404 for another workspace's task.
import { apiHandler } from '../lib/api-route.server';
import {
  decideTakeover,
  takeoverDecisionSchema,
  takeoverView,
  TakeoverRefusedError,
} from '../lib/browser-takeover.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { getTakeover } from '../../db/browser-takeovers';

const handle = apiHandler('/api/takeovers/:id/decision', {
  POST: async ({ request, params, caller, ip }) => {
    const input = parseWith(takeoverDecisionSchema, await readJson(request, 16 * 1024));
    const task = await getTakeover(caller.scope, params.id!);
    if (!task) return apiError(404, `Takeover ${params.id} does not exist.`);
    try {
      return json({ takeover: takeoverView(await decideTakeover(caller, task, input, ip), caller) });
    } catch (err) {
      if (err instanceof TakeoverRefusedError) return apiError(err.status, err.message);
      throw err;
    }
  },
});

export const loader = handle;
export const action = handle;
