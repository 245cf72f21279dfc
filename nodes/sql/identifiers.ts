// Table and column names the SQL nodes put into statements. Values are always bound; names cannot be, so they are
// checked here (a plain name: letters, digits, _, $, spaces or -) and then quoted by the dialect as well. A name
// outside that set is refused, naming the field, rather than escaped: a table called `x"; DROP …` is an attack, not
// a table. Pure: the node specs check literal names with it in the editor.

/** PostgreSQL truncates names at 63 bytes, MySQL refuses names over 64 characters. */
export const MAX_IDENTIFIER_LENGTH = 63;

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_$ -]*$/u;

/** A field of the node, by its label, and what is wrong with the names or values given there. */
export class SqlFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SqlFieldError';
  }
}

const quoted = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Why `name` cannot be one table or column name, or undefined when it can. */
export function identifierProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a name, not ${name === null ? 'null' : typeof name}`;
  if (name.trim() === '') return 'is empty: give a table or column name';
  if (name !== name.trim()) return `${quoted(name)} starts or ends with spaces`;
  if (name.length > MAX_IDENTIFIER_LENGTH)
    return `${quoted(name)} is ${name.length} characters long; names are limited to ${MAX_IDENTIFIER_LENGTH}`;
  if (!PLAIN_NAME.test(name) || name.includes('--'))
    return (
      `${quoted(name)} is not a plain name: use letters, digits, _, $, spaces or -, starting with a letter or _ ` +
      '(quotes, semicolons, dots, -- and other punctuation are refused)'
    );
  return undefined;
}

/** Why `name` cannot be a table, written `table` or `schema.table`, or undefined when it can. */
export function tableNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return identifierProblem(name);
  const parts = name.split('.');
  if (parts.length > 2) return `${quoted(name)} has more than one dot: write table or schema.table`;
  for (const part of parts) {
    const problem = identifierProblem(part);
    if (problem) return parts.length > 1 ? `${problem} (in ${quoted(name)})` : problem;
  }
  return undefined;
}

/** `"id, email"` → `['id', 'email']`, blanks dropped. */
export function splitNames(text: string): string[] {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Why a comma-separated list of column names is unusable, or undefined. */
export function columnListProblem(text: string): string | undefined {
  for (const name of splitNames(text)) {
    const problem = identifierProblem(name);
    if (problem) return problem;
  }
  return undefined;
}

/** The name, checked; a problem is thrown as a SqlFieldError of `field`. */
export function checkedName(field: string, name: unknown): string {
  const problem = identifierProblem(name);
  if (problem) throw new SqlFieldError(field, problem);
  return name as string;
}

/** The table's parts (`['hr', 'employees']`), checked. */
export function checkedTable(field: string, name: unknown): string[] {
  const problem = tableNameProblem(name);
  if (problem) throw new SqlFieldError(field, problem);
  return (name as string).split('.');
}
