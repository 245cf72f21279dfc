// Unknown /api paths: still authenticated first, then a JSON 404 rather than an HTML page.
import { apiHandler } from '../lib/api-route.server';
import { apiError } from '../lib/http.server';

const notFound = async ({ request }: { request: Request }) =>
  apiError(404, `No API endpoint at ${request.method} ${new URL(request.url).pathname}.`);

const handle = apiHandler('/api/*', {
  GET: notFound,
  POST: notFound,
  PUT: notFound,
  PATCH: notFound,
  DELETE: notFound,
});

export const loader = handle;
export const action = handle;
