// Where SQLite databases live: one directory per workspace under BATON_SQLITE_DIR (default BATON_HOME/sqlite), and
// a node names a file inside its workspace's directory. Paths that leave it (absolute paths, `..`, a symbolic link
// pointing out) are refused, and so are raw statements that open other files (ATTACH, VACUUM INTO).
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SqlFieldError } from './identifiers';

export const SQLITE_DIR_ENV = 'BATON_SQLITE_DIR';
const FIELD = 'Database file';
const MAX_PATH = 255;

export function sqliteRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[SQLITE_DIR_ENV] || path.join(env.BATON_HOME ?? '.baton', 'sqlite'));
}

function inside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The deepest part of `file` that exists, resolved through links. */
function realExisting(file: string): string {
  let at = file;
  while (!existsSync(at)) at = path.dirname(at);
  return path.join(realpathSync(at), path.relative(at, file));
}

/**
 * The absolute path of `name` in the workspace's directory. With `create`, the directories on the way are made;
 * without, the file must exist.
 */
export function sqliteFile(workspaceId: string, name: unknown, create: boolean, root = sqliteRoot()): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(workspaceId))
    throw new Error(`workspace id "${workspaceId}" is not a folder name`);
  if (typeof name !== 'string' || name.trim() === '')
    throw new SqlFieldError(FIELD, 'is required: name a file such as hr.db');
  if (name.length > MAX_PATH)
    throw new SqlFieldError(FIELD, `is ${name.length} characters long; the limit is ${MAX_PATH}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(name) || name.startsWith(':'))
    throw new SqlFieldError(
      FIELD,
      `${JSON.stringify(name)} is not a file name (no control characters, \\ or leading :)`,
    );
  if (path.isAbsolute(name) || name.startsWith('~'))
    throw new SqlFieldError(
      FIELD,
      `${JSON.stringify(name)} is absolute: name a file inside the workspace's SQLite folder, such as hr.db`,
    );
  const dir = path.join(root, workspaceId);
  const file = path.resolve(dir, name);
  if (!inside(dir, file))
    throw new SqlFieldError(FIELD, `${JSON.stringify(name)} leaves the workspace's SQLite folder`);
  if (!inside(realExisting(dir), realExisting(file)))
    throw new SqlFieldError(FIELD, `${JSON.stringify(name)} leads out of the workspace's SQLite folder through a link`);
  if (create) mkdirSync(path.dirname(file), { recursive: true });
  else if (!existsSync(file))
    throw new SqlFieldError(FIELD, `${JSON.stringify(name)} does not exist yet; an insert, upsert or query creates it`);
  return file;
}

/** The SQL with comments, strings and quoted names blanked out, so keywords can be looked for. */
function keywordsOnly(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?/g, ' ');
}

/** Refuses statements that read or write files other than the node's database. */
export function checkSqliteQuery(sql: string): void {
  const words = keywordsOnly(sql);
  const found = /\bATTACH\b/i.test(words) ? 'ATTACH' : /\bVACUUM\b[\s\S]*\bINTO\b/i.test(words) ? 'VACUUM INTO' : '';
  if (found)
    throw new SqlFieldError('Query', `${found} is not allowed: a SQLite node works on its own database file only`);
}
