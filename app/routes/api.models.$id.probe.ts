// POST /api/models/:id/probe: asks the model what it supports (tool calling, JSON, context length, vision) on the
// workers that reach it, stores the answer on the registry entry and returns the entry.
import { apiHandler } from '../lib/api-route.server';
import { probeModel } from '../lib/models.server';

const handle = apiHandler('/api/models/:id/probe', {
  POST: async ({ params, caller }) => probeModel(caller, params.id!),
});

export const loader = handle;
export const action = handle;
