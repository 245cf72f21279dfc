// The three SQL nodes as tests drive them: each against a database of its own (PostgreSQL and MariaDB from
// test/sql-servers.ts, a SQLite file in a temporary BATON_SQLITE_DIR), with the same `employees` table, a runner
// context whose credential opens that database, and SQL for setting up and checking.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { mysqlTestDatabase, postgresTestDatabase, type TestDatabase } from '../../test/sql-servers';
import type { RunContext } from '../define';
import { makeRunContext, type TestRunContext } from '../testing';
import { run as runMysql } from '../mysql/run';
import { run as runPostgres } from '../postgres/run';
import { run as runSqlite } from '../sqlite/run';
import { DEFAULT_MAX_ROWS } from './params';
import type { SqlOutput, SqlParams } from './run-operation';
import { SQLITE_DIR_ENV } from './sqlite-files';

export const CREDENTIAL_ID = 'cred_00000000-0000-4000-8000-0000000000aa';

export interface SqlTarget {
  name: 'postgres' | 'mysql' | 'sqlite';
  title: string;
  /** `$1` or `?`: how the raw query numbers its parameters. */
  param(index: number): string;
  /** A query that runs for `seconds`. */
  sleep(seconds: number): string;
  /** Whether insert, update and delete output the rows they wrote. */
  returnsRows: boolean;
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** The values of a credential that reaches the database (PostgreSQL and MySQL). */
  credential?: Record<string, unknown>;
  /** A step's context; `key` is its idempotency key (a retry reuses it). */
  context(key?: string, overrides?: Partial<RunContext>): TestRunContext;
  run(ctx: RunContext, params: Partial<SqlParams> & { file?: string }): Promise<SqlOutput>;
  /** Drops and recreates the employees table. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const defaults = (params: Partial<SqlParams>): SqlParams => ({
  operation: 'select',
  where: [],
  combine: 'all',
  orderBy: [],
  values: {},
  queryParams: [],
  readOnly: false,
  maxRows: DEFAULT_MAX_ROWS,
  timeoutSeconds: 30,
  table: 'employees',
  columns: '',
  conflictColumns: '',
  sql: '',
  rows: undefined,
  ...params,
});

const TABLES = {
  postgres:
    'CREATE TABLE employees (id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text, salary numeric, ' +
    'active boolean, started date)',
  mysql:
    'CREATE TABLE employees (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) UNIQUE NOT NULL, name TEXT, ' +
    'salary DECIMAL(10,2), active BOOLEAN, started DATE) ENGINE=InnoDB',
  sqlite:
    'CREATE TABLE employees (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE NOT NULL, name TEXT, ' +
    'salary NUMERIC, active BOOLEAN, started TEXT)',
};

function serverTarget(kind: 'postgres' | 'mysql', db: TestDatabase): SqlTarget {
  const run = kind === 'postgres' ? runPostgres : runMysql;
  const credential: RunContext['credential'] = async (id, types) => {
    if (id !== CREDENTIAL_ID || !types.includes(kind)) throw new Error(`unexpected credential ${id} ${types.join()}`);
    return { type: kind, values: db.credential, markSecret: () => undefined };
  };
  return {
    name: kind,
    title: kind === 'postgres' ? 'PostgreSQL' : 'MySQL',
    param: (index) => (kind === 'postgres' ? `$${index}` : '?'),
    sleep: (seconds) => (kind === 'postgres' ? `SELECT pg_sleep(${seconds})` : `SELECT SLEEP(${seconds})`),
    returnsRows: kind === 'postgres',
    sql: (text, values) => db.sql(text, values),
    credential: db.credential,
    context: (key = `run-${randomUUID()}:sql:0`, overrides) =>
      makeRunContext({ idempotencyKey: key, nodeName: 'Employees', credential, ...overrides }),
    run: (ctx, params) => run(ctx, { credential: CREDENTIAL_ID, ...defaults(params) }, {}) as Promise<SqlOutput>,
    async reset() {
      await db.sql('DROP TABLE IF EXISTS employees');
      await db.sql(TABLES[kind]);
    },
    close: () => db.drop(),
  };
}

/**
 * A SQLite target: a temporary BATON_SQLITE_DIR (set in process.env, so workers started afterwards use it too), and a
 * workflow of the workspace whose folder holds hr.db (the runner reads the workspace from the run's workflow). Close
 * the targets of a file in the reverse order of opening.
 */
async function sqliteTarget(workspaceId = `ws_sql_${randomUUID().slice(0, 8)}`): Promise<SqlTarget> {
  // Targets of one test file share a root; the first one made it and removes it.
  const ownsRoot = !process.env[SQLITE_DIR_ENV];
  if (ownsRoot) process.env[SQLITE_DIR_ENV] = mkdtempSync(path.join(tmpdir(), 'baton-sqlite-'));
  const root = process.env[SQLITE_DIR_ENV]!;
  const workflow = await createWorkflow(systemScope(workspaceId), { name: 'SQLite test', ownerId: 'u_test' });
  const file = path.join(root, workspaceId, 'hr.db');
  const sql = async <T>(text: string, values: unknown[] = []) => {
    const db = new Database(file);
    try {
      const statement = db.prepare(text);
      return (statement.reader ? statement.all(values) : (statement.run(values), [])) as T[];
    } finally {
      db.close();
    }
  };
  return {
    name: 'sqlite',
    title: 'SQLite',
    param: () => '?',
    sleep: () => 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', // never ends
    returnsRows: true,
    sql,
    context: (key = `run-${randomUUID()}:sql:0`, overrides) =>
      makeRunContext({
        idempotencyKey: key,
        nodeName: 'Employees',
        workflowId: workflow.id,
        workspaceId: async () => workflow.workspaceId,
        ...overrides,
      }),
    run: (ctx, params) => runSqlite(ctx, { file: 'hr.db', ...defaults(params) }, {}) as Promise<SqlOutput>,
    async reset() {
      mkdirSync(path.dirname(file), { recursive: true });
      await sql('DROP TABLE IF EXISTS employees');
      await sql(TABLES.sqlite);
    },
    async close() {
      rmSync(ownsRoot ? root : path.dirname(file), { recursive: true, force: true });
      if (ownsRoot) delete process.env[SQLITE_DIR_ENV];
    },
  };
}

/** `workspaceId`: the SQLite file's workspace (default: a new one). */
export async function openTarget(kind: SqlTarget['name'], name: string, workspaceId?: string): Promise<SqlTarget> {
  if (kind === 'sqlite') return sqliteTarget(workspaceId);
  return serverTarget(kind, kind === 'postgres' ? await postgresTestDatabase(name) : await mysqlTestDatabase(name));
}
