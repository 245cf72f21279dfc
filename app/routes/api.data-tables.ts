// GET /api/data-tables: the workspace's data tables with their columns and row counts. POST { name, columns? }:
// creates one (docs/decisions/050-data-tables.md); names and columns are checked and a refusal names the column.
import { createDataTable, listDataTables } from '../../db/data-tables';
import { apiHandler } from '../lib/api-route.server';
import { answerRefusal, auditTable, createTableBody } from '../lib/data-table-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables', {
  GET: async ({ caller }) => json({ tables: await listDataTables(caller.scope) }),
  POST: async ({ request, caller, ip }) => {
    const body = await readJsonWith(request, createTableBody);
    return answerRefusal(async () => {
      const table = await createDataTable(caller.scope, body);
      await auditTable(caller, ip, 'data-table.create', table, {
        columns: table.columns.map((c) => `${c.name} (${c.type})`),
      });
      return json({ table }, 201);
    });
  },
});

export const loader = handle;
export const action = handle;
