// POST /api/data-tables/:id/columns { name, type, required?, unique? }: adds a column (a schema change, audited).
import { addColumn } from '../../db/data-tables';
import { apiHandler } from '../lib/api-route.server';
import { addColumnBody, answerRefusal, auditTable } from '../lib/data-table-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables/:id/columns', {
  POST: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, addColumnBody);
    return answerRefusal(async () => {
      const { table, column } = await addColumn(caller.scope, params.id!, body);
      await auditTable(caller, ip, 'data-table.schema', table, {
        added: column.name,
        type: column.type,
        required: column.required,
        unique: column.unique,
      });
      return json({ table, column }, 201);
    });
  },
});

export const loader = handle;
export const action = handle;
