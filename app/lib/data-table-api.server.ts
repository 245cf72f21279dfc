// What the /api/data-tables routes share: body schemas, the answer for a refused operation, the rows query read
// from the URL, and the audit entries of table and schema changes (docs/decisions/050-data-tables.md).
import { z } from 'zod';
import { recordAudit, type AuditAction } from '../../db/audit';
import { DataTableError } from '../../db/data-tables';
import {
  COLUMN_TYPES,
  CONDITION_OPERATORS,
  DATA_TABLE_LIMITS,
  type DataTableView,
  type RowQuery,
} from '../../contracts/data-tables';
import type { Caller } from './caller.server';
import { apiError, parseWith } from './http.server';

/** Row values by column name; checked against the schema by the store, which names the column. */
const rowValues = z.record(z.string().max(200), z.unknown());

const columnBody = z.object({
  name: z.string().max(1000),
  type: z.enum(COLUMN_TYPES, { message: `expected one of ${COLUMN_TYPES.join(', ')}` }),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
});

export const createTableBody = z.object({
  name: z.string().max(1000),
  columns: z.array(columnBody).max(DATA_TABLE_LIMITS.columnsPerTable).optional(),
});

export const renameTableBody = z.object({ name: z.string().max(1000) });

export const addColumnBody = columnBody;

export const updateColumnBody = z
  .object({ name: z.string().max(1000).optional(), required: z.boolean().optional(), unique: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.required !== undefined || b.unique !== undefined, {
    message: 'give a name, required or unique to change',
  });

/** One row (`values`) or several (`rows`). */
export const insertRowsBody = z
  .object({ values: rowValues.optional(), rows: z.array(rowValues).max(DATA_TABLE_LIMITS.rowsPerTable).optional() })
  .refine((b) => (b.values === undefined) !== (b.rows === undefined), { message: 'give either values or rows' });

export const updateRowBody = z.object({ values: rowValues });

const rowsQuery = z.object({
  offset: z.coerce.number().int().min(0).max(DATA_TABLE_LIMITS.rowsPerTable).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  search: z.string().max(500).optional(),
  column: z.string().max(200).optional(),
  operator: z.enum(CONDITION_OPERATORS).default('eq'),
  value: z.string().max(10_000).optional(),
  sort: z.string().max(200).optional(),
  direction: z.enum(['asc', 'desc']).default('asc'),
});

/** GET …/rows?offset=&limit=&search=&column=&operator=&value=&sort=&direction= as a store query. */
export function rowQueryOf(request: Request): RowQuery {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const q = parseWith(rowsQuery, params);
  return {
    match: 'all',
    conditions: q.column ? [{ column: q.column, operator: q.operator, value: q.value }] : [],
    ...(q.search ? { search: q.search } : {}),
    ...(q.sort ? { sort: { column: q.sort, direction: q.direction } } : {}),
    offset: q.offset,
    limit: q.limit,
  };
}

const STATUS: Record<DataTableError['code'], number> = { invalid: 400, limit: 400, 'not-found': 404, conflict: 409 };

/** Runs `work`; a refusal from the store becomes its status with the message, `code` and `part`. */
export async function answerRefusal(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof DataTableError)) throw err;
    return apiError(STATUS[err.code], err.message, undefined, { code: err.code, part: err.part });
  }
}

export function auditTable(
  caller: Caller,
  ip: string,
  action: Extract<AuditAction, `data-table.${string}`>,
  table: Pick<DataTableView, 'id' | 'name'>,
  change: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action,
    target: { kind: 'data-table', id: table.id, name: table.name },
    ip,
    change,
  });
}
