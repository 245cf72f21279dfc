// GET /api/data-tables/:id: one table and its schema. PATCH { name }: renames it. DELETE: deletes it with its rows.
// Another workspace's table is a 404.
import { deleteDataTable, getDataTable, renameDataTable } from '../../db/data-tables';
import { apiHandler } from '../lib/api-route.server';
import { answerRefusal, auditTable, renameTableBody } from '../lib/data-table-api.server';
import { apiError, json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables/:id', {
  GET: async ({ params, caller }) => {
    const table = await getDataTable(caller.scope, params.id!);
    if (!table) return apiError(404, `No data table ${params.id} in this workspace; it may have been deleted.`);
    return json({ table });
  },
  PATCH: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, renameTableBody);
    return answerRefusal(async () => {
      const { table, previousName } = await renameDataTable(caller.scope, params.id!, body.name);
      if (table.name !== previousName)
        await auditTable(caller, ip, 'data-table.rename', table, { name: { from: previousName, to: table.name } });
      return json({ table });
    });
  },
  DELETE: async ({ params, caller, ip }) =>
    answerRefusal(async () => {
      const table = await deleteDataTable(caller.scope, params.id!);
      await auditTable(caller, ip, 'data-table.delete', table, { rows: table.rowCount });
      return json({ deleted: true, id: table.id });
    }),
});

export const loader = handle;
export const action = handle;
