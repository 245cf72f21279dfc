// GET /api/credential-types: every credential type of the registry (fields, which are secret, whether it has a
// connection test), for the credentials page's forms.
import { apiHandler } from '../lib/api-route.server';
import { credentialTypeList } from '../lib/credential-api.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/credential-types', {
  GET: async () => json({ types: credentialTypeList() }),
});

export const loader = handle;
export const action = handle;
