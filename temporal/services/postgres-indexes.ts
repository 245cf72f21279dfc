// Indexes FerretDB's own queries can use. FerretDB 1.24 pushes an equality filter down to PostgreSQL as
// `_jsonb->'field' @> value`, but the indexes it creates are btrees on `_jsonb->'field'`, which cannot answer `@>`:
// every find, update and delete, even one by `_id`, scans its table (docs/decisions/031-flat-history.md). So each
// single-field key that FerretDB indexes gets a GIN twin on the same expression, made by an event trigger whenever
// FerretDB creates an index (collections appear at run time) and, for clusters made before, once at every start.
import path from 'node:path';
import { findOnPath, isExecutable, runLogged } from './installer';

/** Idempotent: replaces the functions and triggers, and adds the twins missing on existing tables. */
export const EQUALITY_INDEXES_SQL = String.raw`
SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION baton_add_equality_index(btree oid) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  ix record;
BEGIN
  SELECT c.relname AS name, i.indrelid::regclass AS tbl, t.relname AS table_name, am.amname AS method,
         pg_get_indexdef(i.indexrelid, 1, true) AS expr
    INTO ix
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = btree;
  -- FerretDB's index names end in _idx; its metadata tables are read by _id in btree form already. The first key is
  -- the one an equality filter can use, as in MongoDB; nested paths are not pushed down by FerretDB.
  IF NOT FOUND OR ix.method <> 'btree' OR ix.name !~ '_idx$' OR ix.table_name LIKE '\_ferretdb\_%'
     OR ix.expr !~ '^\(_jsonb -> ''[^'']*''::text\)$' THEN
    RETURN;
  END IF;
  -- fastupdate off: a pending list would be read by every lookup until vacuum merges it.
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
                 regexp_replace(ix.name, '_idx$', '_eq'), ix.tbl, ix.expr);
END
$fn$;

CREATE OR REPLACE FUNCTION baton_on_create_index() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM baton_add_equality_index(cmd.objid);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION baton_on_drop_index() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  obj record;
BEGIN
  FOR obj IN SELECT schema_name, object_name FROM pg_event_trigger_dropped_objects()
              WHERE original AND object_type = 'index' AND object_name ~ '_idx$' LOOP
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', obj.schema_name, regexp_replace(obj.object_name, '_idx$', '_eq'));
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS baton_equality_index_add;
CREATE EVENT TRIGGER baton_equality_index_add ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION baton_on_create_index();
DROP EVENT TRIGGER IF EXISTS baton_equality_index_drop;
CREATE EVENT TRIGGER baton_equality_index_drop ON sql_drop WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION baton_on_drop_index();

DO $do$
BEGIN
  PERFORM baton_add_equality_index(i.indexrelid)
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';
END
$do$;
`;

/**
 * Installs the equality indexes in the cluster's `postgres` database (the one FerretDB writes to) through psql,
 * over loopback as the cluster's superuser. On a cluster with much data, the first run builds the missing twins.
 */
export async function installEqualityIndexes(opts: {
  binDir: string;
  port: number;
  superuser: string;
  logFile: string;
}): Promise<void> {
  const beside = path.join(opts.binDir, 'psql');
  const psql = isExecutable(beside) ? beside : findOnPath('psql');
  if (!psql) {
    throw new Error(
      `psql is not in ${opts.binDir} nor on PATH, so FerretDB's queries would scan whole tables; ` +
        'install postgresql-client, or set BATON_FERRETDB_BACKEND=sqlite.',
    );
  }
  await runLogged(
    psql,
    [
      '--no-psqlrc',
      '--quiet',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(opts.port),
      '-U',
      opts.superuser,
      '-d',
      'postgres',
      '-c',
      EQUALITY_INDEXES_SQL,
    ],
    { logFile: opts.logFile, timeoutMs: 30 * 60_000, env: { ...process.env, PGCONNECT_TIMEOUT: '10' } },
  );
}
