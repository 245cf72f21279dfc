// Data table: insert, update, upsert, find or delete rows of one of the workspace's data tables, like n8n's Data table
// node (docs/decisions/050-data-tables.md). Values are checked against the table's columns when the node runs, and a
// retried insert does not add its rows twice.
import { z } from 'zod';
import {
  CONDITION_LABELS,
  CONDITION_OPERATORS,
  DATA_TABLE_LIMITS,
  type RowCondition,
} from '../../contracts/data-tables';
import { defineNode, param, type ParamProblem } from '../define';

export const TABLE_OPERATIONS = ['insert', 'update', 'upsert', 'find', 'delete'] as const;
export type TableOperation = (typeof TABLE_OPERATIONS)[number];

const on = (...operations: TableOperation[]) => ({ param: 'operation', oneOf: operations });

const conditionRow: z.ZodType<RowCondition> = z
  .object({
    column: z.string().max(200),
    operator: z.enum(CONDITION_OPERATORS, {
      errorMap: () => ({ message: `must be one of ${CONDITION_OPERATORS.join(', ')}` }),
    }),
    value: z.unknown().optional(),
  })
  .strict();

const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export const spec = defineNode({
  type: 'data-table',
  version: 1,
  title: 'Data table',
  description: 'Insert, update, upsert, find or delete rows of a data table of this workspace (see Tables).',
  category: 'core',
  icon: 'sheet',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Rows' }],
  params: {
    table: param.dataTable({
      label: 'Table',
      description: 'A data table of this workspace. Create tables and their columns on the Tables page.',
      placeholder: 'Pick a table',
      required: true,
    }),
    operation: param.select({
      label: 'Operation',
      placeholder: 'Insert rows',
      values: TABLE_OPERATIONS,
      options: [
        { value: 'insert', label: 'Insert rows' },
        { value: 'update', label: 'Update rows matching conditions' },
        { value: 'upsert', label: 'Insert or update by key columns (upsert)' },
        { value: 'find', label: 'Find rows' },
        { value: 'delete', label: 'Delete rows matching conditions' },
      ],
      default: 'insert',
      expression: false,
    }),
    values: param.jsonMap({
      label: 'Values',
      description:
        'Column name → value, one row; values may be expressions and are checked against the column types ' +
        '("42" goes into a number column, "true" into a yes/no one). Update: only these columns change.',
      placeholder: 'Email: {{ $input.email }}',
      default: {},
      maxEntries: DATA_TABLE_LIMITS.columnsPerTable,
      showWhen: on('insert', 'update', 'upsert'),
    }),
    rows: param.anyValue({
      label: 'Rows',
      description:
        'Instead of Values: a list of objects, one per row, keyed by column name (such as an upstream node’s items).',
      placeholder: '{{ $input.hires }}',
      maxLength: 16 * 1024 * 1024,
      showWhen: on('insert', 'upsert'),
    }),
    keyColumns: param.text({
      label: 'Key columns',
      description:
        'Columns (comma separated) whose values find the row to update; a row no other row matches is inserted.',
      placeholder: 'Email',
      maxLength: 4096,
      showWhen: on('upsert'),
    }),
    conditions: param.list({
      label: 'Conditions',
      description:
        'Which rows to act on. "equals" conditions of an "all" match use the table’s index; values may be expressions.',
      placeholder: 'Add a condition',
      item: conditionRow,
      itemLabel: 'condition',
      maxItems: 20,
      fields: [
        { key: 'column', label: 'Column', widget: 'text', placeholder: 'Email', expression: false },
        {
          key: 'operator',
          label: 'Operator',
          widget: 'select',
          options: CONDITION_OPERATORS.map((value) => ({ value, label: CONDITION_LABELS[value] })),
          expression: false,
          default: 'eq',
        },
        { key: 'value', label: 'Value', widget: 'text', placeholder: '{{ $input.email }}', expression: true },
      ],
      default: [],
      showWhen: on('update', 'find', 'delete'),
    }),
    match: param.select({
      label: 'Match',
      placeholder: 'all',
      values: ['all', 'any'] as const,
      options: [
        { value: 'all', label: 'All conditions' },
        { value: 'any', label: 'Any condition' },
      ],
      default: 'all',
      expression: false,
      showWhen: on('update', 'find', 'delete'),
    }),
    sortBy: param.text({
      label: 'Sort by',
      description: 'A column to order the rows by; empty: the order they were added in.',
      placeholder: 'Start date',
      maxLength: 200,
      showWhen: on('find'),
    }),
    sortDirection: param.select({
      label: 'Direction',
      placeholder: 'asc',
      values: ['asc', 'desc'] as const,
      options: [
        { value: 'asc', label: 'Ascending (A→Z, 1→9, oldest first)' },
        { value: 'desc', label: 'Descending' },
      ],
      default: 'asc',
      expression: false,
      showWhen: on('find'),
    }),
    limit: param.number({
      label: 'Row limit',
      description: 'Most rows to output; past it the output says `truncated: true`.',
      placeholder: '100',
      default: 100,
      min: 1,
      max: DATA_TABLE_LIMITS.findLimit,
      int: true,
      showWhen: on('find'),
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  check: (params): ParamProblem[] => {
    const operation = params.operation as TableOperation;
    const problems: ParamProblem[] = [];
    const need = (path: string, message: string) =>
      problems.push({ path: [path], message: `Param "${path}": ${message}`, incomplete: true });
    if (blank(params.table)) need('table', 'pick the data table to use');
    const noValues = !params.values || Object.keys(params.values as object).length === 0;
    if ((operation === 'insert' || operation === 'upsert') && noValues && blank(params.rows))
      need('values', `${operation} needs Values or Rows`);
    if (operation === 'update' && noValues) need('values', 'update needs the columns to set');
    if (operation === 'upsert' && blank(params.keyColumns))
      need('keyColumns', 'upsert needs the columns that find a row');
    if (
      (operation === 'update' || operation === 'delete') &&
      !(Array.isArray(params.conditions) && params.conditions.length)
    )
      need('conditions', `${operation} needs at least one condition, so it cannot change every row by accident`);
    return problems;
  },
});
