// What differs between the databases in the statements the nodes write: identifier quoting (the drivers' own
// escaping for PostgreSQL and MySQL), parameter placeholders, RETURNING, upsert syntax, transactions, and the
// baton_effects table that makes writes happen once (docs/decisions/045-sql-nodes.md).
import mysql from 'mysql2';
import pg from 'pg';

export type DialectName = 'postgres' | 'mysql' | 'sqlite';

export interface Dialect {
  name: DialectName;
  /** For messages: "PostgreSQL". */
  title: string;
  /** One checked name part, quoted. */
  quote(name: string): string;
  /** The placeholder of the `index`th (1-based) bound value. */
  placeholder(index: number): string;
  /** Whether INSERT, UPDATE and DELETE take `RETURNING *`. */
  returning: boolean;
  /** The clause after `INSERT … VALUES …` that turns it into an upsert. */
  upsert(conflict: string[], update: string[]): string;
  begin: string;
  beginReadOnly: string;
  /** Creates baton_effects if it is missing. */
  effectsTable: string;
  /** A statement whose single row says whether baton_effects exists (one column, truthy when it does). */
  effectsTableExists: string;
  /** Deletes marks older than 30 days: by then no attempt of their step can still be retried. */
  pruneEffects: string;
}

const doubleQuoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const postgresDialect: Dialect = {
  name: 'postgres',
  title: 'PostgreSQL',
  quote: (name) => pg.escapeIdentifier(name),
  placeholder: (index) => `$${index}`,
  returning: true,
  upsert: (conflict, update) =>
    ` ON CONFLICT (${conflict.map(pg.escapeIdentifier).join(', ')}) ` +
    (update.length
      ? `DO UPDATE SET ${update.map((c) => `${pg.escapeIdentifier(c)} = EXCLUDED.${pg.escapeIdentifier(c)}`).join(', ')}`
      : 'DO NOTHING'),
  begin: 'BEGIN',
  beginReadOnly: 'BEGIN READ ONLY',
  effectsTable:
    'CREATE TABLE IF NOT EXISTS baton_effects (effect_key char(64) PRIMARY KEY, step_key text NOT NULL, ' +
    'done_at timestamptz NOT NULL DEFAULT now(), result text)',
  effectsTableExists: "SELECT to_regclass('baton_effects') IS NOT NULL AS present",
  pruneEffects: "DELETE FROM baton_effects WHERE done_at < now() - interval '30 days'",
};

const backquoted = (name: string) => mysql.escapeId(name, true);

export const mysqlDialect: Dialect = {
  name: 'mysql',
  title: 'MySQL',
  quote: backquoted,
  placeholder: () => '?',
  returning: false, // MariaDB has INSERT … RETURNING, MySQL has none; one behaviour for both
  // MySQL picks the unique key itself; the conflict columns only decide which columns are not overwritten.
  upsert: (conflict, update) => {
    const set = update.length ? update : conflict.slice(0, 1);
    return ` ON DUPLICATE KEY UPDATE ${set.map((c) => `${backquoted(c)} = VALUES(${backquoted(c)})`).join(', ')}`;
  },
  begin: 'START TRANSACTION',
  beginReadOnly: 'START TRANSACTION READ ONLY',
  effectsTable:
    'CREATE TABLE IF NOT EXISTS baton_effects (effect_key CHAR(64) NOT NULL PRIMARY KEY, step_key TEXT NOT NULL, ' +
    'done_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), result LONGTEXT) ENGINE=InnoDB',
  effectsTableExists:
    "SELECT COUNT(*) AS present FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'baton_effects'",
  pruneEffects: 'DELETE FROM baton_effects WHERE done_at < NOW() - INTERVAL 30 DAY',
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  title: 'SQLite',
  quote: doubleQuoted,
  placeholder: () => '?',
  returning: true,
  upsert: (conflict, update) =>
    ` ON CONFLICT (${conflict.map(doubleQuoted).join(', ')}) ` +
    (update.length
      ? `DO UPDATE SET ${update.map((c) => `${doubleQuoted(c)} = excluded.${doubleQuoted(c)}`).join(', ')}`
      : 'DO NOTHING'),
  // IMMEDIATE takes the write lock at once, so two attempts of one step queue up instead of failing on upgrade.
  begin: 'BEGIN IMMEDIATE',
  beginReadOnly: 'BEGIN',
  effectsTable:
    'CREATE TABLE IF NOT EXISTS baton_effects (effect_key TEXT PRIMARY KEY, step_key TEXT NOT NULL, ' +
    'done_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, result TEXT)',
  effectsTableExists: "SELECT COUNT(*) AS present FROM sqlite_master WHERE type = 'table' AND name = 'baton_effects'",
  pruneEffects: "DELETE FROM baton_effects WHERE done_at < datetime('now', '-30 days')",
};
