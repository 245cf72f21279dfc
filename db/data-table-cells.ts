// Turning what callers write into stored rows and filters: values by column name checked against the schema (errors
// name the row and column), and conditions into an indexed filter plus an exact test. Equalities of an `all` match
// become top-level equalities on `keys`; FerretDB answers those from an index (decision 031), the rest is tested here.
import {
  cellMatches,
  checkCell,
  checkConditionValue,
  describeValue,
  type StoredCell,
} from '../contracts/data-table-values';
import {
  CONDITION_OPERATORS,
  columnNamed,
  DATA_TABLE_LIMITS,
  type ConditionOperator,
  type DataTableColumn,
  type RowMatch,
  type RowValues,
} from '../contracts/data-tables';
import { cellKey, DataTableError, type RowDoc, type TableDoc } from './data-table-docs';

export type StoredValues = Record<string, StoredCell>;

/** `Row 3: ` when a call writes several rows, so a message points at the one at fault. */
export const rowLabel = (index: number, count: number) => (count > 1 ? `Row ${index + 1}: ` : '');

/** `where` then `text`, capitalized when there is no `where`. */
const after = (where: string, text: string) => (where ? where + text : text[0].toUpperCase() + text.slice(1));

function columnFor(doc: TableDoc, name: string, where: string, part: 'values' | 'conditions' | 'keys' | 'sort') {
  const column = columnNamed(doc.columns, name);
  if (column) return column;
  const names = doc.columns.map((c) => `"${c.name}"`).join(', ') || 'none yet';
  throw new DataTableError(
    'invalid',
    after(where, `column ${describeValue(name)} does not exist in table "${doc.name}" (its columns: ${names}).`),
    part,
  );
}

function asObject(values: unknown, where: string): RowValues {
  if (typeof values === 'object' && values !== null && !Array.isArray(values)) return values as RowValues;
  throw new DataTableError(
    'invalid',
    after(where, `a row must be an object of column names and values, not ${describeValue(values)}.`),
    'values',
  );
}

/**
 * The stored values of the columns `values` names, checked. Unknown names are refused; a required column given no
 * value is refused.
 */
export function checkChanges(doc: TableDoc, values: unknown, where = ''): StoredValues {
  const out: StoredValues = {};
  for (const [name, value] of Object.entries(asObject(values, where))) {
    const column = columnFor(doc, name, where, 'values');
    const checked = checkCell(column, value);
    if (!checked.ok) throw new DataTableError('invalid', `${where}${checked.message}`, 'values');
    out[column.id] = checked.stored;
  }
  return out;
}

/** A whole new row: the columns `values` names, the others empty (refused where required). */
export function checkNewRow(doc: TableDoc, values: unknown, where = ''): StoredValues {
  const given = checkChanges(doc, values, where);
  const out: StoredValues = {};
  for (const column of doc.columns) {
    if (column.id in given) out[column.id] = given[column.id];
    else {
      const checked = checkCell(column, undefined);
      if (!checked.ok) throw new DataTableError('invalid', `${where}${checked.message}`, 'values');
      out[column.id] = null;
    }
  }
  return checkSize(out, where);
}

/** Refuses a row whose stored values pass the row size limit. */
export function checkSize(values: StoredValues, where = ''): StoredValues {
  const bytes = Buffer.byteLength(JSON.stringify(values));
  if (bytes > DATA_TABLE_LIMITS.rowBytes)
    throw new DataTableError(
      'limit',
      after(
        where,
        `the row is ${(bytes / 1024).toFixed(1)} KB; a row holds at most ${DATA_TABLE_LIMITS.rowBytes / 1024} KB. ` +
          'Keep large documents in files and store their names here.',
      ),
      'values',
    );
  return values;
}

export interface MatchPlan {
  /** Equalities for the store (the table, and `keys` for equalities of an `all` match). */
  filter: Record<string, unknown>;
  /** The exact test, every condition included: keys are hashes, so the store's answer is a superset. */
  test(row: RowDoc): boolean;
  /** No conditions: every row matches. */
  everything: boolean;
}

/** Checks a match against the schema (messages name the condition and column) and plans how to read it. */
export function planMatch(doc: TableDoc, match: RowMatch): MatchPlan {
  const conditions = (match.conditions ?? []).map((condition, i) => {
    const where = `Condition ${i + 1}: `;
    if (!CONDITION_OPERATORS.includes(condition?.operator))
      throw new DataTableError(
        'invalid',
        `${where}the operator must be one of ${CONDITION_OPERATORS.join(', ')}, not ${describeValue(condition?.operator)}.`,
        'conditions',
      );
    const column: DataTableColumn = columnFor(doc, String(condition.column ?? ''), where, 'conditions');
    const checked = checkConditionValue(column, condition.operator, condition.value);
    if (!checked.ok) throw new DataTableError('invalid', `${where}${checked.message}`, 'conditions');
    return { columnId: column.id, operator: condition.operator as ConditionOperator, expected: checked.stored };
  });
  const all = match.match !== 'any' || conditions.length === 1;
  const keys = all
    ? conditions
        .filter((c) => c.operator === 'eq' && c.expected !== null)
        .map((c) => cellKey(doc._id, c.columnId, c.expected))
    : [];
  const filter: Record<string, unknown> = {};
  if (keys.length > 0) filter.keys = keys[0];
  if (keys.length > 1) filter.$and = keys.slice(1).map((key) => ({ keys: key }));
  const holds = (row: RowDoc) => (c: (typeof conditions)[number]) =>
    cellMatches(c.operator, row.values?.[c.columnId], c.expected);
  return {
    filter,
    everything: conditions.length === 0,
    test: (row) => conditions.length === 0 || (all ? conditions.every(holds(row)) : conditions.some(holds(row))),
  };
}

/** The column a sort names, checked. */
export function sortColumn(doc: TableDoc, name: string): DataTableColumn {
  return columnFor(doc, name, 'Sort: ', 'sort');
}

/** The columns an upsert matches on, checked: at least one, each named once. */
export function keyColumns(doc: TableDoc, names: readonly string[]): DataTableColumn[] {
  const columns = names.map((name) => columnFor(doc, name, 'Key columns: ', 'keys'));
  if (columns.length === 0)
    throw new DataTableError('invalid', 'Key columns: name at least one column whose value finds the row.', 'keys');
  return [...new Set(columns)];
}
