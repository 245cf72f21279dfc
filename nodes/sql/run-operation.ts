// What the PostgreSQL, MySQL and SQLite runners share: the operation's statements are built first (so a bad name
// fails before any connection), then run on the node's session: reads in a read-only transaction, writes once per
// step through baton_effects (effects.ts). Failures become NodeErrors naming the node and the field, or quoting the
// database's own message, with whether another attempt may succeed.
import type { ParamsOf, RunContext } from '../define';
import { NodeError } from '../errors';
import type { Dialect } from './dialects';
import { writeOnce } from './effects';
import { SqlFieldError } from './identifiers';
import type { operationParams } from './params';
import { SqlDatabaseError, type SqlSession, type StatementResult } from './session';
import {
  deleteStatement,
  insertStatements,
  rowsToWrite,
  selectStatement,
  updateStatement,
  type Row,
  type Statement,
} from './statements';

export type SqlParams = ParamsOf<ReturnType<typeof operationParams>>;

export interface SqlOutput {
  /** Selected rows, or the rows a write returned (PostgreSQL and SQLite return written rows). */
  rows: Row[];
  rowCount: number;
  /** More rows than the row limit: only the first ones are in `rows`. */
  truncated: boolean;
  /** Rows inserted, changed or deleted. */
  affectedRows?: number;
  /** MySQL and SQLite: the id of the last inserted row. */
  insertId?: number | string;
}

export interface OperationPlan {
  readOnly: boolean;
  statements: Statement[];
}

export function planOperation(d: Dialect, p: SqlParams): OperationPlan {
  const where = p.where ?? [];
  const combine = p.combine ?? 'all';
  switch (p.operation) {
    case 'select':
      return {
        readOnly: true,
        statements: [
          selectStatement(d, {
            table: p.table,
            columns: p.columns,
            where,
            combine,
            orderBy: p.orderBy ?? [],
            maxRows: p.maxRows,
          }),
        ],
      };
    case 'insert':
      return { readOnly: false, statements: insertStatements(d, p.table, rowsToWrite(p.values, p.rows)) };
    case 'upsert':
      return {
        readOnly: false,
        statements: insertStatements(d, p.table, rowsToWrite(p.values, p.rows), p.conflictColumns ?? ''),
      };
    case 'update':
      return {
        readOnly: false,
        statements: [updateStatement(d, { table: p.table, values: p.values ?? {}, where, combine })],
      };
    case 'delete':
      return { readOnly: false, statements: [deleteStatement(d, { table: p.table, where, combine })] };
    case 'query':
      if (!p.sql?.trim()) throw new SqlFieldError('Query', 'is required: write the SQL to run');
      return {
        readOnly: p.readOnly ?? false,
        statements: [{ sql: p.sql, values: (p.queryParams ?? []).map((row) => row.value ?? null) }],
      };
  }
}

function combine(results: StatementResult[], maxRows: number): SqlOutput {
  const rows = results.flatMap((r) => r.rows);
  const kept = rows.slice(0, maxRows);
  const wrote = results.some((r) => r.affectedRows !== undefined);
  const insertId = results
    .map((r) => r.insertId)
    .filter((id) => id !== undefined)
    .pop();
  return {
    rows: kept,
    rowCount: kept.length,
    truncated: rows.length > maxRows || results.some((r) => r.truncated),
    ...(wrote ? { affectedRows: results.reduce((sum, r) => sum + (r.affectedRows ?? 0), 0) } : {}),
    ...(insertId !== undefined ? { insertId } : {}),
  };
}

async function execute(session: SqlSession, plan: OperationPlan, maxRows: number): Promise<SqlOutput> {
  const results: StatementResult[] = [];
  for (const statement of plan.statements) results.push(await session.run(statement, maxRows));
  return combine(results, maxRows);
}

export interface SqlNodeOptions {
  dialect: Dialect;
  /** The database, for pruning marks once per database: `host:port/db` or the file. */
  target: string;
  open(readOnly: boolean): Promise<SqlSession>;
}

/** Runs the node's operation; the plan is built by the caller, before anything is opened. */
export async function runOperation(
  ctx: RunContext,
  plan: OperationPlan,
  params: SqlParams,
  opts: SqlNodeOptions,
): Promise<SqlOutput> {
  const session = await opts.open(plan.readOnly);
  try {
    if (plan.readOnly) {
      await session.exec(opts.dialect.beginReadOnly);
      const output = await execute(session, plan, params.maxRows);
      await session.exec('COMMIT');
      return output;
    }
    const { result, repeated } = await writeOnce(session, ctx.idempotencyKey, opts.target, () =>
      execute(session, plan, params.maxRows),
    );
    if (repeated) ctx.log.info('An earlier attempt of this step already wrote; its output is returned', {});
    return result;
  } finally {
    await session.close();
  }
}

/** The failure as the run shows it: the node by name, then the field or the database's words. */
export function stepError(ctx: RunContext, title: string, operation: SqlParams['operation'], err: unknown): Error {
  const node = `${title} node "${ctx.nodeName}"`;
  if (err instanceof SqlFieldError) {
    const field = err.field.replace(/ \(.*$/, '');
    return new NodeError(`${node}: ${err.message}; fix the ${field} parameter`, {
      code: 'param-invalid',
      retryable: false,
    });
  }
  if (!(err instanceof SqlDatabaseError)) return err as Error;
  const code = err.code ? ` [${err.code}]` : '';
  const doing = `the ${operation} failed`;
  switch (err.kind) {
    case 'timeout':
      return new NodeError(
        `${node}: ${doing}: the statement ran past its timeout and was cancelled (${err.message})${code}; raise ` +
          'Statement timeout or make the statement faster. Its transaction was rolled back.',
        { code: 'sql-timeout', retryable: false },
      );
    case 'login':
      return new NodeError(
        `${node}: the database refused the connection: ${err.message}${code}; check the credential`,
        {
          code: 'sql-login',
          retryable: false,
        },
      );
    case 'transient':
      return new NodeError(`${node}: ${doing}: ${err.message}${code}`, { code: 'sql-unavailable', retryable: true });
    default:
      return new NodeError(`${node}: ${doing}: ${title} said: ${err.message}${code}`, {
        code: 'sql',
        retryable: false,
      });
  }
}
