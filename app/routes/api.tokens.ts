// POST /api/tokens: a signed-in user (or a token holder) creates another API token; shown once.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { createApiToken } from '../../db/users';

const bodySchema = z.object({ name: z.string().trim().min(1).max(100) });

const handle = apiHandler('/api/tokens', {
  POST: async ({ request, user }) => {
    const { name } = await readJsonWith(request, bodySchema);
    return json({ token: await createApiToken(user.id, name) }, 201);
  },
});

export const loader = handle;
export const action = handle;
