// The documents behind data tables (docs/decisions/050-data-tables.md): a table (its schema and row count), its rows,
// and the claims that keep unique columns unique. Rows hold their values by column id, and beside them `keys`: one
// short hash per non-empty cell of (table, column, value), in one indexed array. An equality on a column is then one
// top-level equality on `keys`, the only kind of filter FerretDB hands to an index (decisions 031 and 042).
import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { readCell, type StoredCell } from '../contracts/data-table-values';
import { DataTableError, type DataTableColumn, type DataTableRow, type DataTableView } from '../contracts/data-tables';

export { DataTableError };

export interface TableDoc {
  _id: string;
  workspaceId: string;
  name: string;
  columns: DataTableColumn[];
  rowCount: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
  updatedBy: string;
}

export interface RowDoc {
  _id: string;
  tableId: string;
  /** Insertion order: creation time in ms × 1000 plus the row's place in its batch. */
  seq: number;
  values: Record<string, StoredCell>;
  keys: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** One unique cell value: its `_id` is the cell's key, so two rows claiming it collide on the primary key. */
export interface ClaimDoc {
  _id: string;
  tableId: string;
  columnId: string;
  rowId: string;
}

const tableSchema = new Schema<TableDoc>(
  {
    _id: String,
    workspaceId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    columns: { type: Schema.Types.Mixed, default: [] },
    rowCount: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'data_tables', versionKey: false, minimize: false },
);

const rowSchema = new Schema<RowDoc>(
  {
    _id: String,
    tableId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    values: { type: Schema.Types.Mixed, default: {} },
    keys: { type: [String], index: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'data_table_rows', versionKey: false, minimize: false },
);

const claimSchema = new Schema<ClaimDoc>(
  {
    _id: String,
    tableId: { type: String, required: true, index: true },
    columnId: { type: String, required: true },
    rowId: { type: String, required: true },
  },
  { collection: 'data_table_claims', versionKey: false },
);

// Looked up first because dev mode loads this module twice (tsx for server.ts, Vite SSR for routes).
export const TableModel =
  (mongoose.models.DataTable as mongoose.Model<TableDoc>) ?? mongoose.model<TableDoc>('DataTable', tableSchema);
export const RowModel =
  (mongoose.models.DataTableRow as mongoose.Model<RowDoc>) ?? mongoose.model<RowDoc>('DataTableRow', rowSchema);
export const ClaimModel =
  (mongoose.models.DataTableClaim as mongoose.Model<ClaimDoc>) ??
  mongoose.model<ClaimDoc>('DataTableClaim', claimSchema);

/**
 * The key of a non-empty cell: 96 bits of SHA-256 over table, column and stored value. Short, so a row's `keys`
 * stays under the 2,704 bytes a PostgreSQL btree entry may hold even with every column set (50 × 16 characters).
 */
export function cellKey(tableId: string, columnId: string, stored: StoredCell): string {
  return createHash('sha256')
    .update(`${tableId}\n${columnId}\n${typeof stored}\n${String(stored)}`)
    .digest('base64url')
    .slice(0, 16);
}

/** The keys of a row's non-empty cells. */
export function rowKeys(tableId: string, values: Record<string, StoredCell>): string[] {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([columnId, v]) => cellKey(tableId, columnId, v));
}

/** Reads by `_id`, then checks the workspace (decision 036): another workspace's table reads as missing. */
export async function findTableDoc(workspaceId: string, id: string): Promise<TableDoc | undefined> {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  const doc = (await TableModel.collection.findOne({ _id: id } as never)) as TableDoc | null;
  return doc && doc.workspaceId === workspaceId ? doc : undefined;
}

/** Like `findTableDoc`, refusing with `not-found` (naming the id) when there is no such table. */
export async function requireTableDoc(workspaceId: string, id: string): Promise<TableDoc> {
  const doc = await findTableDoc(workspaceId, id);
  if (!doc)
    throw new DataTableError(
      'not-found',
      `No data table ${String(id).slice(0, 64)} in this workspace; it may have been deleted.`,
    );
  return doc;
}

export function toTableView(doc: TableDoc): DataTableView {
  return {
    id: doc._id,
    workspaceId: doc.workspaceId,
    name: doc.name,
    columns: doc.columns.map((c) => ({ ...c })),
    rowCount: Math.max(0, doc.rowCount ?? 0),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    createdBy: doc.createdBy,
    updatedBy: doc.updatedBy,
  };
}

/** A row as callers see it: values by column name (own properties, whatever the names). */
export function toRow(columns: readonly DataTableColumn[], doc: RowDoc): DataTableRow {
  const values: Record<string, unknown> = {};
  for (const column of columns) {
    Object.defineProperty(values, column.name, {
      value: readCell(column.type, doc.values?.[column.id]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { id: doc._id, values, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
}

/** Every row of a table, in insertion order. Bounded by the row limit; FerretDB filters by `tableId` through its index. */
export async function readAllRows(tableId: string, filter: Record<string, unknown> = {}): Promise<RowDoc[]> {
  const docs = (await RowModel.collection.find({ tableId, ...filter } as never).toArray()) as unknown as RowDoc[];
  return docs.sort((a, b) => a.seq - b.seq || (a._id < b._id ? -1 : 1));
}
