// The process a SQLite session runs its statements in (started by sqlite-session.ts). better-sqlite3 is synchronous
// and cannot interrupt a statement, so the host kills this process when a statement overruns its timeout; an open
// transaction then rolls back when the file is next opened. Loaded through tsx's CommonJS hook: no import.meta here.
import Database from 'better-sqlite3';
import { jsonRow, jsonValue } from './session';
import type { Reply, Request } from './sqlite-protocol';

let db: Database.Database | undefined;

/** JSON values as SQLite binds them: booleans as 1 or 0, objects and lists as JSON text. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

function handle(request: Request): Reply {
  const { id } = request;
  if (request.kind === 'open') {
    db = new Database(request.file, {
      readonly: request.readOnly,
      fileMustExist: request.readOnly,
      timeout: request.busyTimeoutMs,
    });
    return { id, ok: true };
  }
  if (!db) throw new Error('no database is open');
  if (request.kind === 'exec') {
    db.exec(request.sql);
    return { id, ok: true };
  }
  const statement = db.prepare(request.sql).safeIntegers(true);
  const values = request.values.map(bindable);
  if (!statement.reader) {
    const info = statement.run(values);
    const inserted = info.changes > 0 && /^\s*(insert|replace)\b/i.test(request.sql);
    return {
      id,
      ok: true,
      rows: [],
      truncated: false,
      affectedRows: info.changes,
      ...(inserted ? { insertId: jsonValue(info.lastInsertRowid) as number | string } : {}),
    };
  }
  // A write with RETURNING is read to the end, so every returned row is counted; a read stops past the limit.
  const writes = !statement.readonly;
  const rows: Array<Record<string, unknown>> = [];
  let seen = 0;
  for (const row of statement.iterate(values) as IterableIterator<Record<string, unknown>>) {
    seen += 1;
    if (rows.length < request.maxRows) rows.push(jsonRow(row));
    else if (!writes) break;
  }
  return { id, ok: true, rows, truncated: seen > rows.length, ...(writes ? { affectedRows: seen } : {}) };
}

process.on('message', (request: Request) => {
  let reply: Reply;
  try {
    reply = handle(request);
  } catch (err) {
    const { message, code } = err as { message?: string; code?: string };
    reply = { id: request.id, ok: false, message: message ?? String(err), ...(code ? { code } : {}) };
  }
  process.send!(reply);
});

// The session's process is gone (its worker was killed): an unfinished transaction rolls back with the connection.
process.on('disconnect', () => {
  db?.close();
  process.exit(0);
});
