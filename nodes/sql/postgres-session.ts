// A PostgreSQL session over `pg`: one client per step, connected through the destination guard. The server cancels
// statements past the timeout (statement_timeout) and ends a session left idle inside a transaction; every statement
// uses the extended protocol, so a raw query is exactly one statement and its values are bound, never interpolated.
import pg from 'pg';
import { NodeError } from '../errors';
import { postgresDialect } from './dialects';
import { guardedSocket, guardTarget } from './guarded-socket';
import { where, type ServerSettings } from './server-settings';
import { jsonRow, SqlDatabaseError, type SqlFailureKind, type SqlSession, type StatementResult } from './session';
import type { Row } from './statements';

const CONNECT_TIMEOUT_MS = 10_000;
const BACKSTOP_MS = 5_000;
const { builtins } = pg.types;

/** int8 as a number when it fits (counts, ids), else text; dates and local timestamps as the server wrote them. */
function typeParser(oid: number, format: 'text' | 'binary'): (value: string) => unknown {
  if (format === 'text' && oid === builtins.INT8)
    return (value) => (Number.isSafeInteger(Number(value)) ? Number(value) : value);
  if (format === 'text' && (oid === builtins.DATE || oid === builtins.TIMESTAMP)) return (value) => value;
  return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
}

function failureKind(code: string | undefined): SqlFailureKind {
  if (!code) return 'transient'; // no SQLSTATE: the network or the client, not the statement
  if (code === '57014') return 'timeout';
  if (code === '28P01' || code === '28000' || code === '3D000') return 'login';
  if (code.startsWith('08') || ['40001', '40P01', '53300', '57P01', '57P02', '57P03'].includes(code))
    return 'transient';
  return 'statement';
}

export function describePgError(err: unknown, settings: ServerSettings): SqlDatabaseError {
  const e = err as { code?: string; message?: string; detail?: string; severity?: string };
  const sqlState = e.severity && typeof e.code === 'string' ? e.code : undefined; // a server error, not a socket's
  if (!sqlState) {
    const reason = e.code ?? e.message ?? String(err);
    return new SqlDatabaseError(`could not talk to PostgreSQL at ${where(settings)}: ${reason}`, 'transient');
  }
  const detail = e.detail ? ` (${e.detail})` : '';
  return new SqlDatabaseError(`${e.message}${detail}`, failureKind(sqlState), sqlState, sqlState === '23505');
}

export async function openPostgres(settings: ServerSettings, signal?: AbortSignal): Promise<SqlSession> {
  const target = guardTarget(settings.host);
  const idleLimitMs = Math.max(60_000, 2 * settings.timeoutMs);
  const client = new pg.Client({
    host: target.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password ?? '',
    ssl: settings.tls === 'off' ? false : { rejectUnauthorized: settings.tls === 'verify' },
    stream: () => guardedSocket(target),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: settings.timeoutMs,
    options: `-c idle_in_transaction_session_timeout=${idleLimitMs}`,
    application_name: 'baton',
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  client.on('error', () => undefined); // a connection lost between statements fails the next one instead
  const abort = () => void client.end().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
  } catch (err) {
    signal?.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
    throw err instanceof NodeError ? err : describePgError(err, settings); // NodeError: the guard refused the host
  }
  const session: SqlSession = {
    dialect: postgresDialect,
    async exec(sql) {
      try {
        await client.query(sql);
      } catch (err) {
        throw describePgError(err, settings);
      }
    },
    run(statement, maxRows) {
      return new Promise<StatementResult>((resolve, reject) => {
        const rows: Row[] = [];
        let truncated = false;
        // `queryMode` (pg ≥ 8.11, missing from @types/pg): the extended protocol even without values.
        const config = { text: statement.sql, values: statement.values, queryMode: 'extended' };
        const query = new pg.Query(config as pg.QueryConfig);
        query.on('row', (row: Record<string, unknown>) => {
          if (rows.length < maxRows) rows.push(jsonRow(row));
          else truncated = true;
        });
        // A backstop, should the server's cancel not come back. (Not pg's query_timeout: it gives the query a callback,
        // which swallows the 'error' event and keeps every row in memory.)
        const backstop = setTimeout(() => {
          reject(new SqlDatabaseError(`the server did not answer within ${settings.timeoutMs / 1000} s`, 'timeout'));
          void client.end().catch(() => undefined);
        }, settings.timeoutMs + BACKSTOP_MS);
        query.on('error', (err: Error) => {
          clearTimeout(backstop);
          reject(describePgError(err, settings));
        });
        query.on('end', (result: pg.QueryResult) => {
          clearTimeout(backstop);
          const wrote = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command);
          resolve({ rows, truncated, ...(wrote ? { affectedRows: result.rowCount ?? 0 } : {}) });
        });
        void client.query(query);
      });
    },
    async close() {
      signal?.removeEventListener('abort', abort);
      await client.end().catch(() => undefined);
    },
  };
  return session;
}
