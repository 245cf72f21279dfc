// Data tables (docs/decisions/050-data-tables.md): the shapes the store, the API, the grid editor and the Data table
// node share, the limits, and the rules for names. Pure: the browser bundle imports it.

export const COLUMN_TYPES = ['string', 'number', 'boolean', 'date', 'json'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  string: 'Text',
  number: 'Number',
  boolean: 'Yes / no',
  date: 'Date',
  json: 'JSON',
};

export interface DataTableColumn {
  /** Stable across renames; rows store their values under it. */
  id: string;
  name: string;
  type: ColumnType;
  /** A row must have a value here (empty text counts as none). */
  required: boolean;
  /** No two rows may hold the same value here (empty values do not count). */
  unique: boolean;
}

export interface DataTableView {
  id: string;
  workspaceId: string;
  name: string;
  columns: DataTableColumn[];
  /** Kept beside the rows; exact after every write of one writer at a time (decision 050). */
  rowCount: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

/** A row as callers see it: values by column name, absent columns as null. */
export interface DataTableRow {
  id: string;
  values: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** Values of one row to write, by column name. */
export type RowValues = Record<string, unknown>;

export const DATA_TABLE_LIMITS = {
  tablesPerWorkspace: 100,
  columnsPerTable: 50,
  rowsPerTable: 10_000,
  /** The stored values of one row, serialized. */
  rowBytes: 16 * 1024,
  tableName: 100,
  columnName: 64,
  /** Rows one find returns at most. */
  findLimit: 10_000,
} as const;

export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'notContains',
  'isEmpty',
  'isNotEmpty',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const CONDITION_LABELS: Record<ConditionOperator, string> = {
  eq: 'equals',
  ne: 'does not equal',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  contains: 'contains',
  notContains: 'does not contain',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
};

export interface RowCondition {
  column: string;
  operator: ConditionOperator;
  value?: unknown;
}

/** Which rows an update, delete or find acts on; no conditions means every row. */
export interface RowMatch {
  conditions: RowCondition[];
  /** `all`: every condition holds (equalities then read an index); `any`: at least one. */
  match: 'all' | 'any';
}

export interface RowQuery extends RowMatch {
  /** Case-insensitive text any cell contains. */
  search?: string;
  sort?: { column: string; direction: 'asc' | 'desc' };
  offset?: number;
  limit?: number;
}

export interface RowPage {
  rows: DataTableRow[];
  /** Rows matching the query, before offset and limit. */
  total: number;
}

/** What a refused data table operation was about; the API maps codes to statuses. */
export type DataTableErrorCode = 'invalid' | 'not-found' | 'conflict' | 'limit';

/** Which part of a request a refusal is about, so the Data table node can name its field. */
export type DataTableErrorPart = 'name' | 'column' | 'values' | 'conditions' | 'keys' | 'sort' | 'table';

/** A data table operation refused: the message names the row, column or condition at fault. */
export class DataTableError extends Error {
  constructor(
    readonly code: DataTableErrorCode,
    message: string,
    readonly part: DataTableErrorPart = 'table',
  ) {
    super(message);
    this.name = 'DataTableError';
  }
}

/** System fields every row has beside its columns, so no column may take their names. */
export const ROW_FIELDS = ['id', 'createdAt', 'updatedAt'] as const;
const RESERVED_NAMES = new Set([...ROW_FIELDS.map((n) => n.toLowerCase()), '__proto__', 'constructor', 'prototype']);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `name` cannot name a table, or undefined when it can (after trimming). */
export function tableNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the table a name.';
  if (trimmed.length > DATA_TABLE_LIMITS.tableName)
    return `The name is ${trimmed.length} characters long; the limit is ${DATA_TABLE_LIMITS.tableName}.`;
  if (CONTROL.test(trimmed)) return 'The name may not hold control characters (line breaks, tabs…).';
  return undefined;
}

/** Why `name` cannot name a column of a table whose other columns are `others`, or undefined when it can. */
export function columnNameProblem(
  name: string,
  others: readonly Pick<DataTableColumn, 'name'>[] = [],
): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the column a name.';
  if (trimmed.length > DATA_TABLE_LIMITS.columnName)
    return `The column name is ${trimmed.length} characters long; the limit is ${DATA_TABLE_LIMITS.columnName}.`;
  if (CONTROL.test(trimmed)) return 'A column name may not hold control characters (line breaks, tabs…).';
  if (RESERVED_NAMES.has(trimmed.toLowerCase()))
    return `"${trimmed}" is reserved (every row has id, createdAt and updatedAt); choose another name.`;
  if (others.some((c) => c.name.toLowerCase() === trimmed.toLowerCase()))
    return `The table already has a column "${trimmed}".`;
  return undefined;
}

/** The column named `name` (exact, else ignoring case). */
export function columnNamed<C extends Pick<DataTableColumn, 'name'>>(
  columns: readonly C[],
  name: string,
): C | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** A column's type in words, for messages: `"Age" (number)`. */
export const describeColumn = (column: Pick<DataTableColumn, 'name' | 'type'>) =>
  `"${column.name}" (${COLUMN_TYPE_LABELS[column.type].toLowerCase()})`;

/** Ids of data tables: `dt_` and a UUID. */
export const TABLE_ID = /^dt_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A step's access to the data tables of its run's workspace (RunContext `tables`). Another workspace's table reads
 * as missing. Writes check values against the schema and throw errors naming the column.
 */
export interface RunTables {
  get(tableId: string): Promise<DataTableView | undefined>;
  /**
   * Inserts `rows`; `stepKey` makes the ids of the new rows, so a retried step finds the rows its earlier attempt
   * inserted and does not add them again. `onProgress` is called between batches (the activity heartbeats).
   */
  insert(tableId: string, rows: RowValues[], stepKey: string, onProgress?: () => void): Promise<DataTableRow[]>;
  update(tableId: string, match: RowMatch, values: RowValues): Promise<DataTableRow[]>;
  /** For each row, updates the rows whose `keyColumns` equal its values, or inserts it when none does. */
  upsert(
    tableId: string,
    keyColumns: string[],
    rows: RowValues[],
    stepKey: string,
  ): Promise<{ rows: DataTableRow[]; inserted: number; updated: number }>;
  find(tableId: string, query: RowQuery): Promise<RowPage>;
  delete(tableId: string, match: RowMatch): Promise<DataTableRow[]>;
}
