// GET /api/takeovers/:id: a human-takeover task of a Browser step (docs/decisions/059) as the caller sees it: the
// step, why it failed, the page, its deadline and whether the caller may finish it. Never the relay's address or
// token. Another workspace's task reads as 404.
import { apiHandler } from '../lib/api-route.server';
import { takeoverView } from '../lib/browser-takeover.server';
import { apiError, json } from '../lib/http.server';
import { getTakeover } from '../../db/browser-takeovers';

const handle = apiHandler('/api/takeovers/:id', {
  GET: async ({ params, caller }) => {
    const task = await getTakeover(caller.scope, params.id!);
    if (!task) return apiError(404, `Takeover ${params.id} does not exist.`);
    return json({ takeover: takeoverView(task, caller) });
  },
});

export const loader = handle;
export const action = handle;
