// A database of its own for one SQL test file, on the servers `npm test` (or `baton services`) provides through
// BATON_TEST_POSTGRES_URL and BATON_TEST_MYSQL_URL. A file run alone, without them, starts a server of its own in a
// temporary directory (as test/mailbox.ts does for Mailpit), stopped by `drop()`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { resolveHome, servicePaths } from '../temporal/services';
import { startMariadb } from '../temporal/services/mariadb-server';
import { startPostgres } from '../temporal/services/postgres-server';

export interface TestDatabase {
  /** The values of a credential that reaches this database (nodes/credentials/postgres.ts, mysql.ts). */
  credential: { host: string; port: number; database: string; user: string; password: string; tls: 'off' };
  /** Runs SQL as the server's admin user in this database, for setting up and checking. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`[baton] ${line}\n`);

/** A server started for this file when the environment names none: its URL, and how to stop it. */
async function ownServer(kind: 'postgres' | 'mariadb'): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `baton-${kind}-`));
  const shared = servicePaths(resolveHome(), 'test');
  const paths = { ...servicePaths(dir, 'test'), binDir: shared.binDir, logsDir: dir };
  const server =
    kind === 'postgres'
      ? await startPostgres({ paths, profile: 'test', log, env: process.env })
      : await startMariadb({ paths, profile: 'test', log, env: process.env });
  const url =
    kind === 'postgres'
      ? `postgres://baton@127.0.0.1:${server.port}/postgres`
      : `mysql://baton@127.0.0.1:${server.port}/`;
  return {
    url,
    async stop() {
      await server.process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const databaseName = (name: string) => `baton_${name.replace(/[^a-z0-9_]/gi, '_')}_${process.pid}`.toLowerCase();

export async function postgresTestDatabase(name: string): Promise<TestDatabase> {
  const own = process.env.BATON_TEST_POSTGRES_URL ? undefined : await ownServer('postgres');
  const serverUrl = new URL(process.env.BATON_TEST_POSTGRES_URL ?? own!.url);
  const database = databaseName(name);
  const admin = new pg.Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  const inDatabase = new URL(serverUrl);
  inDatabase.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: inDatabase.toString() });
  await client.connect();
  return {
    credential: {
      host: serverUrl.hostname,
      port: Number(serverUrl.port || 5432),
      database,
      user: decodeURIComponent(serverUrl.username),
      password: decodeURIComponent(serverUrl.password),
      tls: 'off',
    },
    sql: async <T>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as T[],
    async drop() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      await admin.end();
      await own?.stop();
    },
  };
}

export async function mysqlTestDatabase(name: string): Promise<TestDatabase> {
  const own = process.env.BATON_TEST_MYSQL_URL ? undefined : await ownServer('mariadb');
  const serverUrl = new URL(process.env.BATON_TEST_MYSQL_URL ?? own!.url);
  const database = databaseName(name);
  const connection = await mysql.createConnection({ uri: serverUrl.toString() });
  await connection.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
  await connection.query(`CREATE DATABASE ${mysql.escapeId(database)} CHARACTER SET utf8mb4`);
  await connection.query(`USE ${mysql.escapeId(database)}`);
  return {
    credential: {
      host: serverUrl.hostname,
      port: Number(serverUrl.port || 3306),
      database,
      user: decodeURIComponent(serverUrl.username),
      password: decodeURIComponent(serverUrl.password),
      tls: 'off',
    },
    sql: async <T>(text: string, values?: unknown[]) => (await connection.query(text, values))[0] as T[],
    async drop() {
      await connection.query(`DROP DATABASE IF EXISTS ${mysql.escapeId(database)}`);
      await connection.end();
      await own?.stop();
    },
  };
}
