// "Test connection" of PostgreSQL and MySQL credentials: a real login with the node's own driver and connection
// (through the destination guard), then one SELECT in the credential's database. Nothing is written.
import type { CredentialTestResult } from '../credentials/define';
import { NodeError } from '../errors';
import { openMysql } from './mysql-session';
import { openPostgres } from './postgres-session';
import { serverSettings, where } from './server-settings';
import { SqlDatabaseError } from './session';

const TEST_STATEMENT_TIMEOUT_MS = 5_000;

const KINDS = {
  postgres: {
    title: 'PostgreSQL',
    open: openPostgres,
    sql: "SELECT 1 AS ok, current_setting('server_version') AS version",
  },
  mysql: { title: 'MySQL', open: openMysql, sql: 'SELECT 1 AS ok, VERSION() AS version' },
};

export async function testDatabaseLogin(
  kind: keyof typeof KINDS,
  values: Record<string, unknown>,
): Promise<CredentialTestResult> {
  const { title, open, sql } = KINDS[kind];
  const settings = serverSettings(title, values, TEST_STATEMENT_TIMEOUT_MS);
  const at = `${title} at ${where(settings)}`;
  try {
    const session = await open(settings);
    try {
      const { rows } = await session.run({ sql, values: [] }, 1);
      return {
        ok: true,
        message: `Logged in to ${at} as ${settings.user} (server ${String(rows[0]?.version)}); SELECT 1 answered.`,
      };
    } finally {
      await session.close();
    }
  } catch (err) {
    if (err instanceof NodeError) return { ok: false, message: err.message }; // the destination guard refused it
    if (!(err instanceof SqlDatabaseError)) throw err;
    const code = err.code ? ` [${err.code}]` : '';
    if (err.kind === 'login')
      return {
        ok: false,
        message: `${at} refused the login: ${err.message}${code}; check the user, password and database.`,
      };
    return { ok: false, message: `${err.message.replace(/^could not/, 'Could not')}${code}` };
  }
}
