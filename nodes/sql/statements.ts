// Statements built from the node's helpers (select, insert, update, upsert, delete): every name checked and quoted,
// every value a bound parameter. Problems are SqlFieldErrors naming the field as the form labels it.
import type { Dialect } from './dialects';
import { checkedName, checkedTable, splitNames, SqlFieldError } from './identifiers';
import type { OrderBy, WhereCondition } from './params';

export interface Statement {
  sql: string;
  values: unknown[];
}

export type Row = Record<string, unknown>;

/** Rows per INSERT statement, and bound values per statement (SQLite allows 32766, the others 65535). */
const MAX_BATCH_ROWS = 1000;
const MAX_BATCH_VALUES = 30_000;
export const MAX_INPUT_ROWS = 100_000;

function table(d: Dialect, name: unknown): string {
  return checkedTable('Table', name).map(d.quote).join('.');
}

class Values {
  readonly list: unknown[] = [];
  constructor(private readonly d: Dialect) {}
  bind(value: unknown): string {
    this.list.push(value);
    return this.d.placeholder(this.list.length);
  }
}

function inList(field: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return splitNames(value);
  throw new SqlFieldError(field, `"in" needs a list (or comma-separated text), not ${describe(value)}`);
}

function whereClause(
  d: Dialect,
  values: Values,
  conditions: readonly WhereCondition[],
  combine: 'all' | 'any',
): string {
  if (conditions.length === 0) return '';
  const parts = conditions.map((c, i) => {
    const field = `Where (condition ${i + 1})`;
    const column = d.quote(checkedName(field, c.column));
    const value = c.value === undefined ? null : c.value;
    switch (c.operator) {
      case 'isNull':
        return `${column} IS NULL`;
      case 'isNotNull':
        return `${column} IS NOT NULL`;
      case '=':
        return value === null ? `${column} IS NULL` : `${column} = ${values.bind(value)}`;
      case '!=':
        return value === null ? `${column} IS NOT NULL` : `${column} <> ${values.bind(value)}`;
      case 'like':
      case 'notLike':
        if (typeof value !== 'string') throw new SqlFieldError(field, `"like" needs text, not ${describe(value)}`);
        return `${column} ${c.operator === 'like' ? 'LIKE' : 'NOT LIKE'} ${values.bind(value)}`;
      case 'in':
      case 'notIn': {
        const list = inList(field, value);
        if (list.length === 0) return c.operator === 'in' ? '1 = 0' : '1 = 1';
        return `${column} ${c.operator === 'in' ? 'IN' : 'NOT IN'} (${list.map((v) => values.bind(v)).join(', ')})`;
      }
      default:
        if (value === null) throw new SqlFieldError(field, `${c.operator} cannot compare with null`);
        return `${column} ${c.operator} ${values.bind(value)}`;
    }
  });
  return ` WHERE ${parts.map((p) => (parts.length > 1 ? `(${p})` : p)).join(combine === 'any' ? ' OR ' : ' AND ')}`;
}

export function selectStatement(
  d: Dialect,
  p: {
    table: unknown;
    columns?: string;
    where: readonly WhereCondition[];
    combine: 'all' | 'any';
    orderBy: readonly OrderBy[];
    maxRows: number;
  },
): Statement {
  const values = new Values(d);
  const names = splitNames(p.columns ?? '').map((c) => d.quote(checkedName('Columns to return', c)));
  const order = p.orderBy.map(
    (o, i) => `${d.quote(checkedName(`Order by (sort column ${i + 1})`, o.column))} ${o.direction.toUpperCase()}`,
  );
  const sql =
    `SELECT ${names.length ? names.join(', ') : '*'} FROM ${table(d, p.table)}` +
    whereClause(d, values, p.where, p.combine) +
    (order.length ? ` ORDER BY ${order.join(', ')}` : '') +
    // One row more than the limit, so the output can say it was cut; a checked integer, never a value from data.
    ` LIMIT ${Math.trunc(p.maxRows) + 1}`;
  return { sql, values: values.list };
}

/** The rows to write, from Columns (one row) or Rows (a list of objects), each column name checked. */
export function rowsToWrite(values: Record<string, unknown> | undefined, rows: unknown): Row[] {
  const hasValues = !!values && Object.keys(values).length > 0;
  const hasRows = !(rows === undefined || rows === null || rows === '');
  if (hasValues && hasRows) throw new SqlFieldError('Rows', 'fill in Columns or Rows, not both');
  if (!hasRows) {
    if (!hasValues) throw new SqlFieldError('Columns', 'name at least one column and its value');
    for (const name of Object.keys(values!)) checkedName('Columns', name);
    return [values!];
  }
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) throw new SqlFieldError('Rows', 'is an empty list: there is nothing to write');
  if (list.length > MAX_INPUT_ROWS)
    throw new SqlFieldError('Rows', `has ${list.length} rows; one step writes at most ${MAX_INPUT_ROWS}`);
  return list.map((row, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw new SqlFieldError(`Rows (row ${i + 1})`, `must be an object of column → value, not ${describe(row)}`);
    const names = Object.keys(row);
    if (names.length === 0) throw new SqlFieldError(`Rows (row ${i + 1})`, 'has no columns');
    for (const name of names) checkedName(`Rows (row ${i + 1})`, name);
    return row as Row;
  });
}

/** Consecutive rows with the same columns, in batches small enough for one statement each. */
function batches(rows: Row[]): Array<{ columns: string[]; rows: Row[] }> {
  const out: Array<{ columns: string[]; rows: Row[] }> = [];
  for (const row of rows) {
    const columns = Object.keys(row);
    const last = out[out.length - 1];
    const same =
      last &&
      last.columns.length === columns.length &&
      columns.every((c) => Object.prototype.hasOwnProperty.call(last.rows[0], c));
    const full =
      last && (last.rows.length >= MAX_BATCH_ROWS || (last.rows.length + 1) * columns.length > MAX_BATCH_VALUES);
    if (same && !full) last.rows.push(row);
    else out.push({ columns, rows: [row] });
  }
  return out;
}

/** One INSERT per batch; with `conflict`, an upsert on those columns that updates the others. */
export function insertStatements(d: Dialect, tableName: unknown, rows: Row[], conflict?: string): Statement[] {
  const target = table(d, tableName);
  const conflictColumns = conflict === undefined ? undefined : splitNames(conflict);
  if (conflictColumns) {
    if (conflictColumns.length === 0)
      throw new SqlFieldError('Conflict columns', 'upsert needs the columns of a unique key');
    conflictColumns.forEach((c) => checkedName('Conflict columns', c));
  }
  return batches(rows).map(({ columns, rows: batch }) => {
    const values = new Values(d);
    const tuples = batch.map((row) => `(${columns.map((c) => values.bind(row[c])).join(', ')})`);
    let sql = `INSERT INTO ${target} (${columns.map(d.quote).join(', ')}) VALUES ${tuples.join(', ')}`;
    if (conflictColumns) {
      const missing = conflictColumns.find((c) => !columns.includes(c));
      if (missing)
        throw new SqlFieldError(
          'Conflict columns',
          `"${missing}" is not among the columns written (${columns.join(', ')})`,
        );
      sql += d.upsert(
        conflictColumns,
        columns.filter((c) => !conflictColumns.includes(c)),
      );
    }
    return { sql: d.returning ? `${sql} RETURNING *` : sql, values: values.list };
  });
}

export function updateStatement(
  d: Dialect,
  p: { table: unknown; values: Record<string, unknown>; where: readonly WhereCondition[]; combine: 'all' | 'any' },
): Statement {
  const columns = Object.keys(p.values ?? {});
  if (columns.length === 0) throw new SqlFieldError('Columns', 'name at least one column to set');
  if (p.where.length === 0)
    throw new SqlFieldError(
      'Where',
      'an update needs at least one condition, so it cannot change every row by accident',
    );
  const values = new Values(d);
  const set = columns.map((c) => `${d.quote(checkedName('Columns', c))} = ${values.bind(p.values[c])}`);
  const sql = `UPDATE ${table(d, p.table)} SET ${set.join(', ')}${whereClause(d, values, p.where, p.combine)}`;
  return { sql: d.returning ? `${sql} RETURNING *` : sql, values: values.list };
}

export function deleteStatement(
  d: Dialect,
  p: { table: unknown; where: readonly WhereCondition[]; combine: 'all' | 'any' },
): Statement {
  if (p.where.length === 0)
    throw new SqlFieldError(
      'Where',
      'a delete needs at least one condition, so it cannot remove every row by accident',
    );
  const values = new Values(d);
  const sql = `DELETE FROM ${table(d, p.table)}${whereClause(d, values, p.where, p.combine)}`;
  return { sql: d.returning ? `${sql} RETURNING *` : sql, values: values.list };
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
