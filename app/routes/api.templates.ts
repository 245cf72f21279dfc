// GET /api/templates: the template gallery's cards (docs/decisions/051-templates.md). The catalog is the same for
// every workspace; a template is used through POST /api/templates/:slug/workflows.
import { apiHandler } from '../lib/api-route.server';
import { json } from '../lib/http.server';
import { templateCard, templateLibrary } from '../lib/templates.server';

const handle = apiHandler('/api/templates', {
  GET: async () => json({ templates: templateLibrary().templates.map(templateCard) }),
});

export const loader = handle;
export const action = handle;
