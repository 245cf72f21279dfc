// GET /api/data-tables/:id/rows?offset=&limit=&search=&column=&operator=&value=&sort=&direction=: a page of rows and
// how many match. POST { values } or { rows }: inserts, checked against the schema (a refusal names row and column).
import { findRows, insertRows } from '../../db/data-table-rows';
import { apiHandler } from '../lib/api-route.server';
import { answerRefusal, insertRowsBody, rowQueryOf } from '../lib/data-table-api.server';
import { json, readJsonWith } from '../lib/http.server';

const handle = apiHandler('/api/data-tables/:id/rows', {
  GET: async ({ request, params, caller }) =>
    answerRefusal(async () => json(await findRows(caller.scope, params.id!, rowQueryOf(request)))),
  POST: async ({ request, params, caller }) => {
    const body = await readJsonWith(request, insertRowsBody);
    return answerRefusal(async () => {
      const rows = await insertRows(caller.scope, params.id!, body.rows ?? [body.values]);
      return json({ rows }, 201);
    });
  },
});

export const loader = handle;
export const action = handle;
