// PATCH /api/data-tables/:id/columns/:columnId { name?, required?, unique? }: renames a column or changes its rules
// (refused, naming the rows, when they do not allow it). DELETE: removes it and its values. Both are audited.
import { removeColumn, updateColumn } from '../../db/data-tables';
import { apiHandler } from '../lib/api-route.server';
import { answerRefusal, auditTable, updateColumnBody } from '../lib/data-table-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables/:id/columns/:columnId', {
  PATCH: async ({ request, params, caller, ip }) => {
    const body = await readJsonWith(request, updateColumnBody);
    return answerRefusal(async () => {
      const { table, before, after } = await updateColumn(caller.scope, params.id!, params.columnId!, body);
      const changed = (['name', 'required', 'unique'] as const).filter((key) => before[key] !== after[key]);
      if (changed.length > 0)
        await auditTable(caller, ip, 'data-table.schema', table, {
          column: after.name,
          ...Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
        });
      return json({ table, column: after });
    });
  },
  DELETE: async ({ params, caller, ip }) =>
    answerRefusal(async () => {
      const { table, column } = await removeColumn(caller.scope, params.id!, params.columnId!);
      await auditTable(caller, ip, 'data-table.schema', table, { removed: column.name, type: column.type });
      return json({ table });
    }),
});

export const loader = handle;
export const action = handle;
