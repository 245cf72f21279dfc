// A MySQL or MariaDB session over `mysql2`: one connection per step through the destination guard. Statements are
// server-side prepared (`execute`), so values are bound by the server, never spliced into the SQL; one statement per
// call, and LOAD DATA LOCAL is off. The server cancels statements past the timeout: MariaDB's max_statement_time
// covers every statement, MySQL's max_execution_time only SELECTs (writes end at the lock-wait timeout or the
// client's backstop).
import mysql from 'mysql2';
import { NodeError } from '../errors';
import { mysqlDialect } from './dialects';
import { connectGuarded, guardTarget } from './guarded-socket';
import { where, type ServerSettings } from './server-settings';
import { jsonRow, SqlDatabaseError, type SqlFailureKind, type SqlSession } from './session';
import type { Row } from './statements';

const CONNECT_TIMEOUT_MS = 10_000;
const TIMEOUT_ERRNOS = new Set([1969, 3024]); // ER_STATEMENT_TIMEOUT (MariaDB), ER_QUERY_TIMEOUT (MySQL)
const LOGIN_ERRNOS = new Set([1044, 1045, 1049, 1698]);
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1205, 1213, 2006, 2013]);

interface MysqlError {
  errno?: number;
  code?: string;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
}

function failureKind(e: MysqlError): SqlFailureKind {
  if (e.errno !== undefined && TIMEOUT_ERRNOS.has(e.errno)) return 'timeout';
  if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') return 'timeout';
  if (e.errno !== undefined && LOGIN_ERRNOS.has(e.errno)) return 'login';
  if (e.sqlMessage === undefined || (e.errno !== undefined && TRANSIENT_ERRNOS.has(e.errno))) return 'transient';
  return 'statement';
}

function describeMysqlError(err: unknown, settings: ServerSettings): SqlDatabaseError {
  const e = err as MysqlError;
  if (e.sqlMessage === undefined && e.code !== 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new SqlDatabaseError(
      `could not talk to MySQL at ${where(settings)}: ${e.code ?? e.message ?? String(err)}`,
      'transient',
    );
  }
  return new SqlDatabaseError(e.sqlMessage ?? e.message ?? String(err), failureKind(e), e.code, e.errno === 1062);
}

/** JSON values as MySQL takes them: objects and lists as JSON text. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

export async function openMysql(settings: ServerSettings, signal?: AbortSignal): Promise<SqlSession> {
  const target = guardTarget(settings.host);
  const connection = mysql.createConnection({
    host: target.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password ?? '',
    ...(settings.tls === 'off' ? {} : { ssl: { rejectUnauthorized: settings.tls === 'verify' } }),
    stream: () => connectGuarded(target, settings.port),
    connectTimeout: CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4',
    flags: ['-LOCAL_FILES'],
    multipleStatements: false,
    supportBigNumbers: true,
    dateStrings: true, // DATE and DATETIME as the server wrote them, not shifted through this machine's zone
  });
  connection.on('error', () => undefined); // a connection lost between statements fails the next one instead
  const abort = () => connection.destroy();
  signal?.addEventListener('abort', abort, { once: true });
  const call = <T>(fn: (done: (err: unknown, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) =>
      fn((err, value) =>
        err ? reject(err instanceof NodeError ? err : describeMysqlError(err, settings)) : resolve(value as T),
      ),
    );
  try {
    await call<void>((done) => connection.connect((err) => done(err)));
    const [version] = await call<Array<{ version: string }>>((done) =>
      connection.query('SELECT VERSION() AS version', (err, rows) => done(err, rows as Array<{ version: string }>)),
    );
    const seconds = settings.timeoutMs / 1000;
    const limit = /mariadb/i.test(version.version)
      ? `max_statement_time = ${seconds}`
      : `max_execution_time = ${Math.round(settings.timeoutMs)}`;
    const setup = `SET SESSION ${limit}, innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(seconds))}`;
    await call<void>((done) => connection.query(setup, (err) => done(err)));
  } catch (err) {
    signal?.removeEventListener('abort', abort);
    connection.destroy();
    throw err;
  }
  return {
    dialect: mysqlDialect,
    exec: (sql) => call<void>((done) => connection.query(sql, (err) => done(err))),
    run(statement, maxRows) {
      return new Promise((resolve, reject) => {
        const rows: Row[] = [];
        let truncated = false;
        let header: { affectedRows: number; insertId: number } | undefined;
        const command = connection.execute({
          sql: statement.sql,
          values: statement.values.map(bindable),
          timeout: settings.timeoutMs + 5_000, // a backstop, should the server's own limit not apply
        });
        command.on('result', (row: Record<string, unknown>) => {
          if (row.constructor?.name === 'ResultSetHeader') header = row as unknown as typeof header;
          else if (rows.length < maxRows) rows.push(jsonRow(row));
          else truncated = true;
        });
        command.on('error', (err: unknown) =>
          reject(err instanceof NodeError ? err : describeMysqlError(err, settings)),
        );
        command.on('end', () =>
          resolve({
            rows,
            truncated,
            ...(header ? { affectedRows: header.affectedRows } : {}),
            ...(header?.insertId ? { insertId: header.insertId } : {}),
          }),
        );
      });
    },
    async close() {
      signal?.removeEventListener('abort', abort);
      connection.destroy(); // nothing is left to say: the transaction is committed or meant to be rolled back
    },
  };
}
