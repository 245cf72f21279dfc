// Messages between the SQLite session (sqlite-session.ts) and its process (sqlite-process.ts).

export interface OpenRequest {
  kind: 'open';
  file: string;
  readOnly: boolean;
  /** How long a statement waits for another connection's lock. */
  busyTimeoutMs: number;
}

export type StatementRequest =
  { kind: 'exec'; sql: string } | { kind: 'run'; sql: string; values: unknown[]; maxRows: number };

export type Request = { id: number } & (OpenRequest | StatementRequest);

export type Reply =
  | {
      id: number;
      ok: true;
      rows?: Array<Record<string, unknown>>;
      truncated?: boolean;
      affectedRows?: number;
      insertId?: number | string;
    }
  | { id: number; ok: false; message: string; code?: string };
