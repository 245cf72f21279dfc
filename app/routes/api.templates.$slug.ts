// GET /api/templates/:slug: one template with its metadata, README and workflow document (credential params empty).
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { findTemplate } from '../lib/templates.server';

const handle = apiHandler('/api/templates/:slug', {
  GET: async ({ params }) => {
    const template = findTemplate(params.slug ?? '');
    return template
      ? json({ template })
      : apiError(404, `There is no template "${(params.slug ?? '').slice(0, 64)}"; GET /api/templates lists them.`);
  },
});

export const loader = handle;
export const action = handle;
