// GET /api/me: who the credentials belong to.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/me', { GET: async ({ user }) => json({ user }) });

export const loader = handle;
export const action = handle;
