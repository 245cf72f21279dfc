// One connection to a database for one step, as the operations see it, whichever the driver: fixed statements of
// ours (BEGIN, COMMIT), statements with bound values, and rows turned into JSON. Each driver's session maps its
// errors to SqlDatabaseError, so messages and retries are decided in one place (run-operation.ts).
import type { Dialect } from './dialects';
import type { Row, Statement } from './statements';

export interface StatementResult {
  rows: Row[];
  /** More rows came than the limit: only the first ones are in `rows`. */
  truncated: boolean;
  /** Rows inserted, changed or deleted, for writes. */
  affectedRows?: number;
  /** The id of the last inserted row (MySQL, SQLite), when the table has an auto-increment key. */
  insertId?: number | string;
}

export interface SqlSession {
  readonly dialect: Dialect;
  /** One fixed statement of ours, without values. */
  exec(sql: string): Promise<void>;
  /** One statement with bound values; rows past `maxRows` are read and dropped. */
  run(statement: Statement, maxRows: number): Promise<StatementResult>;
  close(): Promise<void>;
}

/**
 * What went wrong, as far as retrying is concerned: `statement` (the SQL or the data: the same again fails the same
 * way), `timeout` (the statement timeout cancelled it), `login` (refused credentials), `transient` (a deadlock, a
 * serialization failure, a lost connection: another attempt may succeed).
 */
export type SqlFailureKind = 'statement' | 'timeout' | 'login' | 'transient';

export class SqlDatabaseError extends Error {
  constructor(
    message: string,
    readonly kind: SqlFailureKind,
    /** The database's own code: SQLSTATE, MySQL error name, SQLite result code. */
    readonly code?: string,
    /** A unique-key violation: baton_effects uses it to find an earlier attempt's mark. */
    readonly duplicateKey = false,
  ) {
    super(message);
    this.name = 'SqlDatabaseError';
  }
}

/** A value from the driver as JSON: dates as ISO text, bytes as base64, big integers as text when unsafe. */
export function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

export function jsonRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    Object.defineProperty(out, key, { value: jsonValue(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
