// POST /api/templates/:slug/workflows { name?, inputs, credentials, tables }: "Use template". The server builds the
// document from the template and the answers (a client-built document is never accepted), checks that every
// credential and table is the caller's workspace's, and creates the workflow there like POST /api/workflows.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { createFromTemplate } from '../lib/templates.server';

const ids = z.record(z.string().max(100), z.string().max(100)).optional();
const useBody = z
  .object({
    name: z.string().max(200, 'name must be at most 200 characters').optional(),
    inputs: z.record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.null()])).optional(),
    credentials: ids,
    tables: ids,
  })
  .strict();

const handle = apiHandler('/api/templates/:slug/workflows', {
  POST: async ({ request, params, caller }) => {
    const body = await readJsonWith(request, useBody);
    const inputs = Object.fromEntries(Object.entries(body.inputs ?? {}).filter(([, v]) => v !== null));
    return createFromTemplate(caller, params.slug ?? '', { ...body, inputs });
  },
});

export const loader = handle;
export const action = handle;
