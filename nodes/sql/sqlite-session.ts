// A SQLite session: better-sqlite3 in a process of its own per step (sqlite-process.ts). SQLite cannot interrupt a
// statement from outside and better-sqlite3 blocks its thread, so a statement past its timeout is ended by killing
// that process; the database's journal rolls the unfinished transaction back. The worker's event loop stays free.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { sqliteDialect } from './dialects';
import { SqlDatabaseError, type SqlFailureKind, type SqlSession } from './session';
import type { Reply, StatementRequest } from './sqlite-protocol';

const ENTRY = fileURLToPath(new URL('./sqlite-process.ts', import.meta.url));
// As for the Code node's threads: the child registers tsx's CommonJS hook itself and requires the TypeScript entry.
const TSX_CJS_API = createRequire(import.meta.url).resolve('tsx/cjs/api');
const BOOTSTRAP = `require(${JSON.stringify(TSX_CJS_API)}).register(); require(${JSON.stringify(ENTRY)});`;
/** Starting the process (node, tsx, better-sqlite3) and opening the file. */
const OPEN_TIMEOUT_MS = 30_000;

function failureKind(code: string | undefined): SqlFailureKind {
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY_')) return 'transient';
  return 'statement';
}

export async function openSqlite(
  file: string,
  opts: { readOnly: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<SqlSession> {
  const child = spawn(process.execPath, ['-e', BOOTSTRAP], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    // Nothing of the worker's environment (secrets, database URLs) is needed in there.
    env: { NODE_ENV: process.env.NODE_ENV, ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}) },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (err: Error) => void }>();
  let ended: SqlDatabaseError | undefined;
  const end = (err: SqlDatabaseError) => {
    ended ??= err;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const { reject } of pending.values()) reject(ended);
    pending.clear();
  };
  child.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    waiting?.resolve(reply);
  });
  child.on('error', (err) => end(new SqlDatabaseError(`could not start SQLite: ${err.message}`, 'transient')));
  child.on('exit', (code, signal) => {
    const how = signal ?? `code ${code}`;
    end(new SqlDatabaseError(`the SQLite process ended (${how})${stderr ? `: ${stderr.trim()}` : ''}`, 'transient'));
  });
  const abort = () => end(new SqlDatabaseError('the step was cancelled', 'transient'));
  opts.signal?.addEventListener('abort', abort, { once: true });

  let next = 0;
  const request = (message: Record<string, unknown>, timeoutMs: number, what: string) =>
    new Promise<Reply & { ok: true }>((resolve, reject) => {
      if (ended) return reject(ended);
      const id = ++next;
      const timer = setTimeout(
        () => end(new SqlDatabaseError(`${what} ran longer than ${timeoutMs / 1000} s and was stopped`, 'timeout')),
        timeoutMs,
      );
      pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.ok) resolve(reply);
          else
            reject(
              new SqlDatabaseError(
                reply.message,
                failureKind(reply.code),
                reply.code,
                /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(reply.code ?? ''),
              ),
            );
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      child.send({ id, ...message });
    });

  const statement = (message: StatementRequest) => request(message, opts.timeoutMs, 'the statement');
  try {
    await request(
      { kind: 'open', file, readOnly: opts.readOnly, busyTimeoutMs: opts.timeoutMs },
      OPEN_TIMEOUT_MS,
      'opening the database',
    );
  } catch (err) {
    opts.signal?.removeEventListener('abort', abort);
    child.kill('SIGKILL');
    throw err;
  }
  return {
    dialect: sqliteDialect,
    async exec(sql) {
      await statement({ kind: 'exec', sql });
    },
    async run(s, maxRows) {
      const reply = await statement({ kind: 'run', sql: s.sql, values: s.values, maxRows });
      return {
        rows: reply.rows ?? [],
        truncated: reply.truncated ?? false,
        ...(reply.affectedRows !== undefined ? { affectedRows: reply.affectedRows } : {}),
        ...(reply.insertId !== undefined ? { insertId: reply.insertId } : {}),
      };
    },
    async close() {
      opts.signal?.removeEventListener('abort', abort);
      if (ended || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect(); // the process closes the database and exits
      await exited;
    },
  };
}
