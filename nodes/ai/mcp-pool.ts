// A small per-process pool of connected MCP clients, keyed by their config, so an agent loop does not spawn a server
// process (or redo the HTTP handshake) per tool call. A connection idle for 60 s is closed; one whose server crashed,
// hung up or stopped answering leaves the pool at once, and the next call connects afresh.
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { checkServerConfig, connectionKey, type McpServerConfig } from './mcp-config';
import { DEFAULT_TIMEOUT_MS, McpConnection, type McpCallOptions } from './mcp-connection';

const IDLE_MS = 60_000;
const MAX_POOLED = 32;

interface Entry {
  key: string;
  connection: Promise<McpConnection>;
  users: number;
  idle?: NodeJS.Timeout;
  /** Out of the pool: closed once its last user is done. */
  retired: boolean;
}

const pool = new Map<string, Entry>();

function closeEntry(entry: Entry): Promise<void> {
  return entry.connection.then(
    (connection) => connection.close(),
    () => undefined,
  );
}

function retire(entry: Entry): void {
  if (pool.get(entry.key) === entry) pool.delete(entry.key);
  if (entry.retired) return;
  entry.retired = true;
  clearTimeout(entry.idle);
  if (entry.users === 0) void closeEntry(entry);
}

/** Makes room for one more: the least recently used idle connection goes (Map order is last use). */
function evictIdle(): void {
  if (pool.size < MAX_POOLED) return;
  const idle = [...pool.values()].find((entry) => entry.users === 0);
  if (idle) retire(idle);
}

function acquire(config: McpServerConfig, timeoutMs: number): Entry {
  const key = connectionKey(config);
  let entry = pool.get(key);
  if (entry) {
    pool.delete(key);
    pool.set(key, entry);
  } else {
    evictIdle();
    const fresh: Entry = { key, connection: McpConnection.open(config, timeoutMs), users: 0, retired: false };
    void fresh.connection.then(
      (connection) => {
        connection.onClosed = () => retire(fresh);
        if (connection.closed) retire(fresh);
      },
      () => retire(fresh),
    );
    pool.set(key, fresh);
    entry = fresh;
  }
  entry.users++;
  clearTimeout(entry.idle);
  return entry;
}

function release(entry: Entry): void {
  entry.users--;
  if (entry.users > 0) return;
  if (entry.retired) void closeEntry(entry);
  else entry.idle = setTimeout(() => retire(entry), IDLE_MS).unref();
}

/** `promise`, or the abort reason as soon as `signal` aborts (the promise itself goes on, for other callers). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Runs `use` with a connected client for `config` (pooled or new). Its errors come back explained: which server,
 * what happened during `method`, with no header or environment value in the message.
 */
export async function withMcpConnection<T>(
  config: McpServerConfig,
  method: string,
  opts: McpCallOptions,
  use: (connection: McpConnection, request: RequestOptions) => Promise<T>,
): Promise<T> {
  checkServerConfig(config);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const entry = acquire(config, timeoutMs);
  try {
    const connection = await untilAborted(entry.connection, opts.signal);
    try {
      return await use(connection, { signal: opts.signal, timeout: timeoutMs });
    } catch (err) {
      if (!connection.survives(err, opts.signal)) retire(entry);
      throw connection.explain(err, method, { ...opts, timeoutMs });
    }
  } finally {
    release(entry);
  }
}

/** Closes every pooled connection (stdio servers are stopped): for a worker's shutdown, and tests. */
export async function closeMcpConnections(): Promise<void> {
  const entries = [...pool.values()];
  for (const entry of entries) retire(entry);
  await Promise.all(entries.map(closeEntry));
}
