// POST /api/templates/:slug/workflows { name?, inputs, credentials, tables }: "Use template". The server builds the
// document from the template and the answers (a client-built document is never accepted), checks that every
// credential is the caller's workspace's and of a type its node params accept, creates the tables chosen as new
// ({ mode: 'create', name }) with the template's columns or checks the existing ones ({ mode: 'existing', tableId },
// or the bare id), and creates the workflow there like POST /api/workflows; a refusal leaves no new table behind.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { tableChoiceSchema } from '../lib/table-choices.server';
import { createFromTemplate } from '../lib/templates.server';

const ids = z.record(z.string().max(100), z.string().max(100)).optional();
/** A bare table id is an existing table, as before tables could be created with the workflow. */
const tableChoice = z.union([
  z
    .string()
    .max(100)
    .transform((tableId) => ({ mode: 'existing' as const, tableId })),
  tableChoiceSchema,
]);
const useBody = z
  .object({
    name: z.string().max(200, 'name must be at most 200 characters').optional(),
    inputs: z.record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.null()])).optional(),
    credentials: ids,
    tables: z.record(z.string().max(100), tableChoice).optional(),
  })
  .strict();

const handle = apiHandler('/api/templates/:slug/workflows', {
  POST: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, useBody);
    const inputs = Object.fromEntries(Object.entries(body.inputs ?? {}).filter(([, v]) => v !== null));
    // An empty id leaves the table unset (pick it on the node later), as it always has.
    const tables = Object.fromEntries(
      Object.entries(body.tables ?? {}).filter(([, c]) => c.mode !== 'existing' || c.tableId !== ''),
    );
    return createFromTemplate(caller, params.slug ?? '', { ...body, inputs, tables }, ip);
  },
});

export const loader = handle;
export const action = handle;
