import {
  DataTableError,
  type DataTableErrorPart,
  type DataTableRow,
  type DataTableView,
  type RowMatch,
  type RunTables,
} from '../../contracts/data-tables';
import type { NodeRunner, ParamsOf, RunContext } from '../define';
import { NodeError } from '../errors';
import { isObject, setOwn } from '../json-value';
import type { spec } from './spec';

type Params = ParamsOf<typeof spec.params>;

/** The node's field a refusal is about, by the part of the request the store names. */
function fieldOf(part: DataTableErrorPart, params: Params): string {
  if (part === 'values') return params.rows !== undefined && params.rows !== '' ? 'Rows' : 'Values';
  if (part === 'conditions') return 'Conditions';
  if (part === 'keys') return 'Key columns';
  if (part === 'sort') return 'Sort by';
  return 'Table';
}

/** A refusal naming the field (the run names the node), final: the same params fail the same way. */
const refused = (field: string, message: string, code = 'param-invalid') =>
  new NodeError(`${field}: ${message}`, { code, retryable: false });

/** A row as the node outputs it: its id, its columns by name, and when it was created and last changed. */
function rowOut(row: DataTableRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  for (const [name, value] of Object.entries(row.values)) setOwn(out, name, value);
  out.createdAt = new Date(row.createdAt).toISOString();
  out.updatedAt = new Date(row.updatedAt).toISOString();
  return out;
}

/** The rows to write: `Rows` when given (a list of objects, or one object), else `Values` as one row. */
function rowsToWrite(params: Params): unknown[] {
  const rows = params.rows;
  if (rows === undefined || rows === null || rows === '') return [params.values ?? {}];
  if (isObject(rows)) return [rows];
  if (!Array.isArray(rows))
    throw refused(
      'Rows',
      `expected a list of objects keyed by column name, got ${typeof rows === 'string' ? 'text' : typeof rows}`,
    );
  const bad = rows.findIndex((row) => !isObject(row));
  if (bad >= 0) throw refused('Rows', `item ${bad + 1} is not an object keyed by column name`);
  return rows;
}

const matchOf = (params: Params): RowMatch => ({ conditions: params.conditions ?? [], match: params.match ?? 'all' });

async function perform(ctx: RunContext, tables: RunTables, table: DataTableView, params: Params) {
  switch (params.operation) {
    case 'insert': {
      const rows = await tables.insert(table.id, rowsToWrite(params) as never, ctx.idempotencyKey, () =>
        ctx.heartbeat(),
      );
      return { rows: rows.map(rowOut), rowCount: rows.length };
    }
    case 'update': {
      const rows = await tables.update(table.id, matchOf(params), params.values ?? {});
      return { rows: rows.map(rowOut), rowCount: rows.length };
    }
    case 'upsert': {
      const keys = (params.keyColumns ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean);
      const result = await tables.upsert(table.id, keys, rowsToWrite(params) as never, ctx.idempotencyKey);
      return {
        rows: result.rows.map(rowOut),
        rowCount: result.rows.length,
        inserted: result.inserted,
        updated: result.updated,
      };
    }
    case 'find': {
      const page = await tables.find(table.id, {
        ...matchOf(params),
        ...(params.sortBy?.trim()
          ? { sort: { column: params.sortBy.trim(), direction: params.sortDirection ?? 'asc' } }
          : {}),
        limit: params.limit,
      });
      return { rows: page.rows.map(rowOut), rowCount: page.rows.length, truncated: page.total > page.rows.length };
    }
    case 'delete': {
      const rows = await tables.delete(table.id, matchOf(params));
      return { rows: rows.map(rowOut), rowCount: rows.length };
    }
  }
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const tables = ctx.tables;
  if (!tables)
    throw new NodeError('Data tables cannot be reached from here (no store).', {
      code: 'unsupported',
      retryable: false,
    });
  const table = await tables.get(params.table);
  if (!table)
    throw refused(
      'Table',
      `there is no data table ${params.table} in this workspace (it was deleted, or the workflow was copied from another workspace); pick one`,
    );
  try {
    return await perform(ctx, tables, table, params);
  } catch (err) {
    if (!(err instanceof DataTableError)) throw err;
    const code = err.code === 'conflict' ? 'conflict' : err.code === 'limit' ? 'limit' : 'param-invalid';
    throw refused(`${fieldOf(err.part, params)} (table "${table.name}")`, err.message, code);
  }
};
