// The params the PostgreSQL, MySQL and SQLite nodes share: the operation, the table and its helpers (columns,
// conditions, order, values), the raw query with its bound parameters, and the row and time limits. Pure: the specs
// import it. Names are checked with the identifier rules, so a literal bad name shows in the editor, and a name an
// expression produced is refused at run time naming the same param.
import { z } from 'zod';
import { PARAM_LIMITS, param, type ParamDef, type ParamProblem } from '../define';
import { columnListProblem, identifierProblem, tableNameProblem } from './identifiers';

export const OPERATIONS = ['select', 'insert', 'update', 'upsert', 'delete', 'query'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const WHERE_OPERATORS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'like',
  'notLike',
  'in',
  'notIn',
  'isNull',
  'isNotNull',
] as const;
export type WhereOperator = (typeof WHERE_OPERATORS)[number];

const OPERATOR_LABELS: Record<WhereOperator, string> = {
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  like: 'like',
  notLike: 'not like',
  in: 'in (list)',
  notIn: 'not in (list)',
  isNull: 'is null',
  isNotNull: 'is not null',
};

export interface WhereCondition {
  column: string;
  operator: WhereOperator;
  value?: unknown;
}

export interface OrderBy {
  column: string;
  direction: 'asc' | 'desc';
}

export const MAX_CONDITIONS = 50;
export const MAX_ORDER_COLUMNS = 10;
export const MAX_QUERY_PARAMS = 100;
export const DEFAULT_MAX_ROWS = 1000;
export const MAX_ROWS_LIMIT = 100_000;

const columnName = z.string().superRefine((name, ctx) => {
  const problem = identifierProblem(name);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const whereRow: z.ZodType<WhereCondition> = z
  .object({
    column: columnName,
    operator: z.enum(WHERE_OPERATORS, {
      errorMap: () => ({ message: `must be one of ${WHERE_OPERATORS.join(', ')}` }),
    }),
    value: z.unknown().optional(),
  })
  .strict();

const orderRow: z.ZodType<OrderBy> = z.object({ column: columnName, direction: z.enum(['asc', 'desc']) }).strict();

const queryParamRow: z.ZodType<{ value?: unknown }> = z.object({ value: z.unknown().optional() }).strict();

const WHERE_OPS: readonly Operation[] = ['select', 'update', 'delete'];
const TABLE_OPS: readonly Operation[] = ['select', 'insert', 'update', 'upsert', 'delete'];

function refined(base: ParamDef<string>, problem: (text: string) => string | undefined): ParamDef<string> {
  return {
    ...base,
    schema: base.schema.superRefine((text, ctx) => {
      const found = problem(text);
      if (found) ctx.addIssue({ code: z.ZodIssueCode.custom, message: found });
    }),
  };
}

/** `placeholder`: how the database numbers bound parameters in a raw query (`$1` or `?`). */
export function operationParams(o: { placeholder: '$1' | '?'; exampleQuery: string }) {
  const values = param.jsonMap({
    label: 'Columns',
    description:
      'Column → value, one row. Values may be expressions and are always sent as bound parameters. ' +
      '(Insert and upsert: or fill in Rows instead.)',
    placeholder: 'email: {{ $input.email }}',
    default: {},
    showWhen: { param: 'operation', oneOf: ['insert', 'update', 'upsert'] },
  });
  return {
    operation: param.select({
      label: 'Operation',
      placeholder: 'select',
      values: OPERATIONS,
      options: [
        { value: 'select', label: 'Select rows' },
        { value: 'insert', label: 'Insert rows' },
        { value: 'update', label: 'Update rows' },
        { value: 'upsert', label: 'Insert or update (upsert)' },
        { value: 'delete', label: 'Delete rows' },
        { value: 'query', label: 'Run a query (SQL with bound parameters)' },
      ],
      default: 'select',
      expression: false,
    }),
    table: refined(
      param.text({
        label: 'Table',
        description: 'A table name, or schema.table. Letters, digits, _, $, spaces and - only.',
        placeholder: 'employees',
        maxLength: 2 * 63 + 1,
        showWhen: { param: 'operation', oneOf: TABLE_OPS },
      }),
      tableNameProblem,
    ),
    columns: refined(
      param.text({
        label: 'Columns to return',
        description: 'Column names separated by commas. Empty: every column.',
        placeholder: 'id, name, email',
        maxLength: 8 * 1024,
        showWhen: { param: 'operation', oneOf: ['select'] },
      }),
      columnListProblem,
    ),
    where: param.list({
      label: 'Where',
      description:
        'Conditions on columns; each value is a bound parameter. "in" takes a list. A value of null with = or ≠ ' +
        'means "is null" or "is not null". Update and delete need at least one condition.',
      placeholder: 'Add a condition',
      item: whereRow,
      itemLabel: 'condition',
      maxItems: MAX_CONDITIONS,
      fields: [
        { key: 'column', label: 'Column', widget: 'text', placeholder: 'email', expression: false },
        {
          key: 'operator',
          label: 'Operator',
          widget: 'select',
          options: WHERE_OPERATORS.map((value) => ({ value, label: OPERATOR_LABELS[value] })),
          expression: false,
          default: '=',
        },
        { key: 'value', label: 'Value', widget: 'text', placeholder: '{{ $input.email }}', expression: true },
      ],
      default: [],
      showWhen: { param: 'operation', oneOf: WHERE_OPS },
    }),
    combine: param.select({
      label: 'Match',
      placeholder: 'all',
      values: ['all', 'any'] as const,
      options: [
        { value: 'all', label: 'All conditions (AND)' },
        { value: 'any', label: 'Any condition (OR)' },
      ],
      default: 'all',
      expression: false,
      showWhen: { param: 'operation', oneOf: WHERE_OPS },
    }),
    orderBy: param.list({
      label: 'Order by',
      placeholder: 'Add a sort column',
      item: orderRow,
      itemLabel: 'sort column',
      maxItems: MAX_ORDER_COLUMNS,
      fields: [
        { key: 'column', label: 'Column', widget: 'text', placeholder: 'created_at', expression: false },
        {
          key: 'direction',
          label: 'Direction',
          widget: 'select',
          options: [
            { value: 'asc', label: 'Ascending' },
            { value: 'desc', label: 'Descending' },
          ],
          expression: false,
          default: 'asc',
        },
      ],
      default: [],
      showWhen: { param: 'operation', oneOf: ['select'] },
    }),
    values: {
      ...values,
      schema: values.schema.superRefine((record, ctx) => {
        for (const name of Object.keys(record)) {
          const problem = identifierProblem(name);
          if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem, path: [name] });
        }
      }),
    },
    rows: param.anyValue({
      label: 'Rows',
      description:
        'Instead of Columns: a list of objects, one per row, whose keys are column names (such as the items of ' +
        'an upstream node). Rows with the same columns are inserted together.',
      placeholder: '{{ $input.employees }}',
      maxLength: 16 * 1024 * 1024,
      showWhen: { param: 'operation', oneOf: ['insert', 'upsert'] },
    }),
    conflictColumns: refined(
      param.text({
        label: 'Conflict columns',
        description:
          'The columns of the unique key that decides whether a row exists (comma separated); the other columns ' +
          'are updated when it does.',
        placeholder: 'email',
        maxLength: 4 * 1024,
        showWhen: { param: 'operation', oneOf: ['upsert'] },
      }),
      columnListProblem,
    ),
    sql: param.textarea({
      label: 'Query',
      description:
        `One SQL statement. Values go in Query parameters and are referred to as ${o.placeholder === '$1' ? '$1, $2 …' : '? (in order)'}; ` +
        'the query itself takes no expressions, so no data can change its SQL.',
      placeholder: o.exampleQuery,
      expression: false,
      maxLength: PARAM_LIMITS.text,
      showWhen: { param: 'operation', oneOf: ['query'] },
    }),
    queryParams: param.list({
      label: 'Query parameters',
      description: `Bound in order to ${o.placeholder === '$1' ? '$1, $2 …' : 'each ?'}; values may be expressions.`,
      placeholder: 'Add a parameter',
      item: queryParamRow,
      itemLabel: 'parameter',
      maxItems: MAX_QUERY_PARAMS,
      fields: [{ key: 'value', label: 'Value', widget: 'text', placeholder: '{{ $input.email }}', expression: true }],
      default: [],
      showWhen: { param: 'operation', oneOf: ['query'] },
    }),
    readOnly: param.boolean({
      label: 'Read only',
      description:
        'On: the query runs in a read-only transaction (the database refuses writes). Off: it may write, and a ' +
        'retried step does not apply it twice (see the baton_effects table).',
      placeholder: 'Off',
      default: false,
      expression: false,
      showWhen: { param: 'operation', oneOf: ['query'] },
    }),
    maxRows: param.number({
      label: 'Row limit',
      description:
        'Most rows the node outputs; past it the output says `truncated: true`. Applies to selected and returned rows.',
      placeholder: String(DEFAULT_MAX_ROWS),
      default: DEFAULT_MAX_ROWS,
      min: 1,
      max: MAX_ROWS_LIMIT,
      int: true,
      expression: false,
    }),
    timeoutSeconds: param.number({
      label: 'Statement timeout (s)',
      description:
        "Longest a statement may run before the database cancels it and rolls its transaction back. The node's " +
        'own time limit (Settings) still applies.',
      placeholder: '30',
      default: 30,
      min: 1,
      max: 600,
      expression: false,
    }),
  };
}

const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** What an operation needs besides the fields' own rules; problems are incomplete, so a draft still saves. */
export function checkOperation(params: Record<string, unknown>): ParamProblem[] {
  const operation = params.operation as Operation;
  const problems: ParamProblem[] = [];
  const need = (path: string, message: string) =>
    problems.push({ path: [path], message: `Param "${path}": ${message}`, incomplete: true });
  if (TABLE_OPS.includes(operation) && blank(params.table)) need('table', `${operation} needs a table`);
  if (operation === 'query' && blank(params.sql)) need('sql', 'needs the SQL to run');
  if (operation === 'upsert' && blank(params.conflictColumns))
    need('conflictColumns', 'upsert needs the columns of a unique key');
  if ((operation === 'update' || operation === 'delete') && !(Array.isArray(params.where) && params.where.length))
    need('where', `${operation} needs at least one condition, so it cannot change every row by accident`);
  const noValues = !params.values || Object.keys(params.values as object).length === 0;
  if (operation === 'update' && noValues) need('values', 'update needs the columns to set');
  if ((operation === 'insert' || operation === 'upsert') && noValues && blank(params.rows))
    need('values', `${operation} needs Columns or Rows`);
  return problems;
}
