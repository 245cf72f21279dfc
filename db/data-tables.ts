// Data tables of a workspace and their schemas (docs/decisions/050-data-tables.md): create, list, rename, delete, and
// add, change or remove columns. Every function takes a WorkspaceScope; another workspace's table reads as missing.
// Rows are in db/data-table-rows.ts. The audit entries for these changes are written by the API (app/lib).
import { randomBytes, randomUUID } from 'node:crypto';
import { describeValue, readCell } from '../contracts/data-table-values';
import {
  COLUMN_TYPES,
  columnNameProblem,
  DATA_TABLE_LIMITS,
  tableNameProblem,
  type ColumnType,
  type DataTableColumn,
  type DataTableView,
} from '../contracts/data-tables';
import { claimsOf, claimValues, dropColumnClaims, dropTableClaims } from './data-table-claims';
import {
  DataTableError,
  readAllRows,
  requireTableDoc,
  rowKeys,
  RowModel,
  TableModel,
  toTableView,
  type TableDoc,
} from './data-table-docs';
import type { WorkspaceScope } from './workspaces';

export { DataTableError } from './data-table-docs';

export interface ColumnInput {
  name: string;
  type: ColumnType;
  required?: boolean;
  unique?: boolean;
}

function checkedTableName(name: unknown): string {
  const problem = typeof name === 'string' ? tableNameProblem(name) : 'Give the table a name.';
  if (problem) throw new DataTableError('invalid', problem, 'name');
  return (name as string).trim();
}

function newColumn(input: ColumnInput, others: readonly DataTableColumn[]): DataTableColumn {
  const problem = typeof input.name === 'string' ? columnNameProblem(input.name, others) : 'Give the column a name.';
  if (problem) throw new DataTableError('invalid', problem, 'column');
  if (!COLUMN_TYPES.includes(input.type))
    throw new DataTableError(
      'invalid',
      `Column "${input.name.trim()}": the type must be one of ${COLUMN_TYPES.join(', ')}, not ${describeValue(input.type)}.`,
      'column',
    );
  if (others.length >= DATA_TABLE_LIMITS.columnsPerTable)
    throw new DataTableError(
      'limit',
      `A table has at most ${DATA_TABLE_LIMITS.columnsPerTable} columns; remove one before adding "${input.name.trim()}".`,
      'column',
    );
  return {
    id: `c_${randomBytes(6).toString('hex')}`,
    name: input.name.trim(),
    type: input.type,
    required: input.required === true,
    unique: input.unique === true,
  };
}

async function tablesOf(workspaceId: string): Promise<TableDoc[]> {
  return (await TableModel.collection.find({ workspaceId } as never).toArray()) as unknown as TableDoc[];
}

/** Refuses a name another table of the workspace has (ignoring case); best effort under concurrent creates. */
async function checkNameFree(workspaceId: string, name: string, exceptId?: string): Promise<void> {
  const taken = (await tablesOf(workspaceId)).find(
    (t) => t._id !== exceptId && t.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) throw new DataTableError('conflict', `This workspace already has a data table "${taken.name}".`, 'name');
}

export async function createDataTable(
  scope: WorkspaceScope,
  input: { name: string; columns?: ColumnInput[] },
): Promise<DataTableView> {
  const name = checkedTableName(input.name);
  const existing = await tablesOf(scope.workspaceId);
  if (existing.length >= DATA_TABLE_LIMITS.tablesPerWorkspace)
    throw new DataTableError(
      'limit',
      `A workspace has at most ${DATA_TABLE_LIMITS.tablesPerWorkspace} data tables; delete one before creating "${name}".`,
    );
  await checkNameFree(scope.workspaceId, name);
  const columns: DataTableColumn[] = [];
  for (const column of input.columns ?? []) columns.push(newColumn(column, columns));
  const now = new Date();
  const doc: TableDoc = {
    _id: `dt_${randomUUID()}`,
    workspaceId: scope.workspaceId,
    name,
    columns,
    rowCount: 0,
    createdAt: now,
    updatedAt: now,
    createdBy: scope.userId,
    updatedBy: scope.userId,
  };
  await TableModel.collection.insertOne(doc as never);
  return toTableView(doc);
}

/** The workspace's tables by name. */
export async function listDataTables(scope: WorkspaceScope): Promise<DataTableView[]> {
  const docs = await tablesOf(scope.workspaceId);
  return docs.map(toTableView).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

export async function getDataTable(scope: WorkspaceScope, id: string): Promise<DataTableView | undefined> {
  try {
    return toTableView(await requireTableDoc(scope.workspaceId, id));
  } catch (err) {
    if (err instanceof DataTableError) return undefined;
    throw err;
  }
}

async function saveSchema(scope: WorkspaceScope, doc: TableDoc, set: Partial<TableDoc>): Promise<DataTableView> {
  const next = { ...set, updatedAt: new Date(), updatedBy: scope.userId };
  await TableModel.collection.updateOne({ _id: doc._id } as never, { $set: next });
  return toTableView({ ...doc, ...next });
}

export async function renameDataTable(
  scope: WorkspaceScope,
  id: string,
  name: string,
): Promise<{ table: DataTableView; previousName: string }> {
  const doc = await requireTableDoc(scope.workspaceId, id);
  const checked = checkedTableName(name);
  await checkNameFree(scope.workspaceId, checked, doc._id);
  return { table: await saveSchema(scope, doc, { name: checked }), previousName: doc.name };
}

/** Deletes the table with its rows and claims; returns what it was. */
export async function deleteDataTable(scope: WorkspaceScope, id: string): Promise<DataTableView> {
  const doc = await requireTableDoc(scope.workspaceId, id);
  await TableModel.collection.deleteOne({ _id: doc._id } as never);
  await RowModel.collection.deleteMany({ tableId: doc._id } as never);
  await dropTableClaims(doc._id);
  return toTableView(doc);
}

export async function addColumn(
  scope: WorkspaceScope,
  id: string,
  input: ColumnInput,
): Promise<{ table: DataTableView; column: DataTableColumn }> {
  const doc = await requireTableDoc(scope.workspaceId, id);
  const column = newColumn(input, doc.columns);
  if (column.required && doc.rowCount > 0)
    throw new DataTableError(
      'invalid',
      `Column "${column.name}" cannot start as required: the table's ${doc.rowCount} rows have no value in it. ` +
        'Add it as optional, fill it in, then make it required.',
      'column',
    );
  return { table: await saveSchema(scope, doc, { columns: [...doc.columns, column] }), column };
}

function columnOf(doc: TableDoc, columnId: string): DataTableColumn {
  const column = doc.columns.find((c) => c.id === columnId);
  if (!column)
    throw new DataTableError(
      'not-found',
      `Table "${doc.name}" has no column ${String(columnId).slice(0, 64)}.`,
      'column',
    );
  return column;
}

/** Renames a column, or makes it required or unique (checked against the rows) or neither. */
export async function updateColumn(
  scope: WorkspaceScope,
  id: string,
  columnId: string,
  change: { name?: string; required?: boolean; unique?: boolean },
): Promise<{ table: DataTableView; before: DataTableColumn; after: DataTableColumn }> {
  const doc = await requireTableDoc(scope.workspaceId, id);
  const before = columnOf(doc, columnId);
  const after = { ...before };
  if (change.name !== undefined && change.name.trim() !== before.name) {
    const problem = columnNameProblem(
      change.name,
      doc.columns.filter((c) => c.id !== columnId),
    );
    if (problem) throw new DataTableError('invalid', problem, 'column');
    after.name = change.name.trim();
  }
  if (change.required === true && !before.required) {
    const empty = (await readAllRows(doc._id)).filter((r) => r.values?.[columnId] == null).length;
    if (empty > 0)
      throw new DataTableError(
        'invalid',
        `Column "${before.name}" cannot be required yet: ${empty} row${empty === 1 ? ' has' : 's have'} no value in it.`,
        'column',
      );
  }
  if (change.required !== undefined) after.required = change.required;
  if (change.unique === true && !before.unique) await claimExisting(doc, after);
  if (change.unique === false && before.unique) await dropColumnClaims(doc._id, columnId);
  if (change.unique !== undefined) after.unique = change.unique;
  const columns = doc.columns.map((c) => (c.id === columnId ? after : c));
  return { table: await saveSchema(scope, doc, { columns }), before, after };
}

/** Claims the values of a column becoming unique, refusing (naming a value) when two rows share one. */
async function claimExisting(doc: TableDoc, column: DataTableColumn): Promise<void> {
  const rows = await readAllRows(doc._id);
  const seen = new Set<string>();
  for (const row of rows) {
    const stored = row.values?.[column.id];
    if (stored === null || stored === undefined) continue;
    const key = `${typeof stored}:${String(stored)}`;
    if (seen.has(key))
      throw new DataTableError(
        'conflict',
        `Column "${column.name}" cannot be unique: several rows hold ${describeValue(readCell(column.type, stored))}.`,
        'column',
      );
    seen.add(key);
  }
  await claimValues(
    doc._id,
    rows.flatMap((row) => claimsOf([{ ...column, unique: true }], row._id, row.values ?? {})),
  );
}

/** Removes a column and its values from every row. */
export async function removeColumn(
  scope: WorkspaceScope,
  id: string,
  columnId: string,
): Promise<{ table: DataTableView; column: DataTableColumn }> {
  const doc = await requireTableDoc(scope.workspaceId, id);
  const column = columnOf(doc, columnId);
  const table = await saveSchema(scope, doc, { columns: doc.columns.filter((c) => c.id !== columnId) });
  const rows = await readAllRows(doc._id);
  const touched = rows.filter((r) => r.values && columnId in r.values);
  for (let i = 0; i < touched.length; i += 500) {
    await RowModel.collection.bulkWrite(
      touched.slice(i, i + 500).map((row) => {
        const values = { ...row.values };
        delete values[columnId];
        return {
          updateOne: {
            filter: { _id: row._id } as never,
            update: { $set: { values, keys: rowKeys(doc._id, values) } },
          },
        };
      }),
      { ordered: false },
    );
  }
  if (column.unique) await dropColumnClaims(doc._id, columnId);
  return { table, column };
}
