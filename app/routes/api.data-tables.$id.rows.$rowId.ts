// PATCH /api/data-tables/:id/rows/:rowId { values }: changes cells of one row (the grid editor). DELETE: deletes it.
import { deleteRow, updateRow } from '../../db/data-table-rows';
import { apiHandler } from '../lib/api-route.server';
import { answerRefusal, updateRowBody } from '../lib/data-table-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables/:id/rows/:rowId', {
  PATCH: async ({ request, params, caller }) => {
    const body = await readJsonWith(request, updateRowBody);
    return answerRefusal(async () =>
      json({ row: await updateRow(caller.scope, params.id!, params.rowId!, body.values) }),
    );
  },
  DELETE: async ({ params, caller }) =>
    answerRefusal(async () => {
      const row = await deleteRow(caller.scope, params.id!, params.rowId!);
      return json({ deleted: true, id: row.id });
    }),
});

export const loader = handle;
export const action = handle;
