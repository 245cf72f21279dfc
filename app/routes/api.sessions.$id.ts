// DELETE /api/sessions/:id: ends one of the caller's sign-in sessions (this browser's too, which signs it out).
import { apiHandler } from '../lib/api-route.server';
import { endSession } from '../lib/account.server';

const handle = apiHandler('/api/sessions/:id', {
  DELETE: async ({ params, caller, ip }) => {
    await endSession({ caller, ip }, params.id!);
    return new Response(null, { status: 204 });
  },
});

export const loader = handle;
export const action = handle;
