// Rows of data tables (docs/decisions/050-data-tables.md): insert, find, update, upsert and delete, for the grid
// editor (through the API) and the Data table node (through `runTables`). Writes check values against the schema,
// keep unique columns unique (db/data-table-claims.ts) and keep the row limit.
import { createHash, randomUUID } from 'node:crypto';
import { cellText, compareCells } from '../contracts/data-table-values';
import {
  DATA_TABLE_LIMITS,
  type DataTableRow,
  type RowMatch,
  type RowPage,
  type RowQuery,
  type RowValues,
  type RunTables,
} from '../contracts/data-tables';
import { NodeError } from '../nodes/errors';
import {
  checkChanges,
  checkNewRow,
  checkSize,
  keyColumns,
  planMatch,
  rowLabel,
  sortColumn,
  type StoredValues,
} from './data-table-cells';
import { claimsOf, claimValues, releaseClaims } from './data-table-claims';
import {
  cellKey,
  DataTableError,
  readAllRows,
  requireTableDoc,
  rowKeys,
  RowModel,
  TableModel,
  toRow,
  type RowDoc,
  type TableDoc,
} from './data-table-docs';
import { getDataTable } from './data-tables';
import { workspaceOfWorkflow } from './workflows';
import { systemScope, type WorkspaceScope } from './workspaces';

/** Rows per insert into the store; a step heartbeats between batches. */
const BATCH = 200;

/** The id of the `index`th row a step inserts: the same on every attempt of the step, so a retry finds it. */
function stepRowId(tableId: string, stepKey: string, index: number): string {
  return `row_${createHash('sha256').update(`${tableId}\n${stepKey}\n${index}`).digest('hex').slice(0, 32)}`;
}

/**
 * Counts `n` rows in before writing them, refusing past the limit. The count is a hint kept with `$inc` (not atomic
 * on FerretDB under concurrent writers); near the limit it is checked against the rows themselves and corrected.
 */
async function reserveRows(doc: TableDoc, n: number): Promise<void> {
  const after = (await TableModel.collection.findOneAndUpdate(
    { _id: doc._id } as never,
    { $inc: { rowCount: n } },
    { returnDocument: 'after' },
  )) as { rowCount?: number } | null;
  const counted = after?.rowCount ?? n;
  if (counted <= DATA_TABLE_LIMITS.rowsPerTable) return;
  const real = await RowModel.collection.countDocuments({ tableId: doc._id } as never);
  if (real + n <= DATA_TABLE_LIMITS.rowsPerTable) {
    await adjustRowCount(doc._id, real + n - counted);
    return;
  }
  await adjustRowCount(doc._id, real - counted);
  throw new DataTableError(
    'limit',
    `Table "${doc.name}" holds ${real} rows; adding ${n} would pass its limit of ${DATA_TABLE_LIMITS.rowsPerTable}. ` +
      'Delete rows you no longer need, or keep the data in another table.',
    'values',
  );
}

async function adjustRowCount(tableId: string, delta: number): Promise<void> {
  if (delta !== 0) await TableModel.collection.updateOne({ _id: tableId } as never, { $inc: { rowCount: delta } });
}

async function rowsById(tableId: string, ids: string[]): Promise<RowDoc[]> {
  const found = await Promise.all(ids.map((id) => RowModel.collection.findOne({ _id: id } as never)));
  return (found as unknown as Array<RowDoc | null>).filter((r): r is RowDoc => r?.tableId === tableId);
}

async function tableIn(scope: WorkspaceScope, tableId: string) {
  return requireTableDoc(scope.workspaceId, tableId);
}

/**
 * Inserts rows, all checked before any is written. With `stepKey`, row ids derive from it: rows an earlier attempt of
 * the step inserted are found (duplicate ids) and returned as they are, not inserted again.
 */
export async function insertRows(
  scope: WorkspaceScope,
  tableId: string,
  rows: unknown[],
  opts: { stepKey?: string; onProgress?: () => void } = {},
): Promise<DataTableRow[]> {
  const doc = await tableIn(scope, tableId);
  if (rows.length > DATA_TABLE_LIMITS.rowsPerTable)
    throw new DataTableError(
      'limit',
      `${rows.length} rows are more than a table holds (${DATA_TABLE_LIMITS.rowsPerTable}).`,
      'values',
    );
  const prepared = rows.map((row, i) => ({
    id: opts.stepKey ? stepRowId(doc._id, opts.stepKey, i) : `row_${randomUUID()}`,
    values: checkNewRow(doc, row, rowLabel(i, rows.length)),
  }));
  const stored = await insertPrepared(doc, prepared, opts.onProgress);
  return stored.map((row) => toRow(doc.columns, row));
}

/** Writes checked rows: the row limit and unique values first, then the rows in batches. */
async function insertPrepared(
  doc: TableDoc,
  prepared: Array<{ id: string; values: StoredValues }>,
  onProgress?: () => void,
): Promise<RowDoc[]> {
  if (prepared.length === 0) return [];
  await reserveRows(doc, prepared.length);
  let inserted = 0;
  const written = new Map<string, RowDoc>();
  const present: string[] = [];
  try {
    await claimValues(
      doc._id,
      prepared.flatMap((p) => claimsOf(doc.columns, p.id, p.values)),
    );
    for (let start = 0; start < prepared.length; start += BATCH) {
      const now = new Date();
      const docs: RowDoc[] = prepared.slice(start, start + BATCH).map((p, i) => ({
        _id: p.id,
        tableId: doc._id,
        seq: now.getTime() * 1000 + ((start + i) % 1000),
        values: p.values,
        keys: rowKeys(doc._id, p.values),
        createdAt: now,
        updatedAt: now,
      }));
      const found = new Set(await insertNew(docs));
      inserted += docs.length - found.size;
      for (const row of docs)
        if (found.has(row._id)) present.push(row._id);
        else written.set(row._id, row);
      onProgress?.();
    }
  } finally {
    await adjustRowCount(doc._id, inserted - prepared.length);
  }
  // Rows an earlier attempt stored are returned as stored (one read of the table, not one per row).
  if (present.length > 0) {
    const wanted = new Set(present);
    for (const row of await readAllRows(doc._id)) if (wanted.has(row._id)) written.set(row._id, row);
  }
  return prepared.map((p) => written.get(p.id)).filter((row): row is RowDoc => row !== undefined);
}

/** Inserts `docs`; returns the ids already stored (an earlier attempt's rows). */
async function insertNew(docs: RowDoc[]): Promise<string[]> {
  try {
    await RowModel.collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code: number }> }).writeErrors;
    if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw err;
    return writeErrors.map((w) => docs[w.index]._id);
  }
}

/** One page of the rows a query matches, with how many match in all. */
export async function findRows(scope: WorkspaceScope, tableId: string, query: RowQuery): Promise<RowPage> {
  const doc = await tableIn(scope, tableId);
  const plan = planMatch(doc, query);
  const sort = query.sort ? sortColumn(doc, query.sort.column) : undefined;
  const all = await readAllRows(doc._id, plan.filter);
  let matched = all.filter(plan.test);
  const search = query.search?.trim().toLowerCase();
  if (search)
    matched = matched.filter((row) =>
      doc.columns.some((c) => cellText(row.values?.[c.id]).toLowerCase().includes(search)),
    );
  if (sort) {
    const sign = query.sort!.direction === 'desc' ? -1 : 1;
    matched.sort((a, b) => {
      const [x, y] = [a.values?.[sort.id], b.values?.[sort.id]];
      // Empty cells stay last whichever the direction.
      if ((x == null) !== (y == null)) return x == null ? 1 : -1;
      return sign * compareCells(x, y);
    });
  }
  // A read of the whole table is the moment to correct the row count (see `reserveRows`).
  if (plan.everything && !plan.filter.keys && matched.length === all.length)
    await adjustRowCount(doc._id, all.length - doc.rowCount);
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const limit = Math.min(
    Math.max(1, Math.floor(query.limit ?? DATA_TABLE_LIMITS.findLimit)),
    DATA_TABLE_LIMITS.findLimit,
  );
  return {
    rows: matched.slice(offset, offset + limit).map((row) => toRow(doc.columns, row)),
    total: matched.length,
  };
}

/** Writes `changes` into `rows`: unique values claimed first, the values they replace released after. */
async function applyChanges(doc: TableDoc, rows: RowDoc[], changes: Record<string, unknown>): Promise<RowDoc[]> {
  const now = new Date();
  const next = rows.map((row, i) => {
    const values = checkSize({ ...row.values, ...(changes as RowDoc['values']) }, rowLabel(i, rows.length));
    return { ...row, values, keys: rowKeys(doc._id, values), updatedAt: now };
  });
  const changedUnique = doc.columns.filter((c) => c.unique && c.id in changes);
  await claimValues(
    doc._id,
    next.flatMap((row, i) =>
      claimsOf(changedUnique, row._id, row.values).filter((c) => rows[i].values?.[c.column.id] !== c.stored),
    ),
  );
  for (let start = 0; start < next.length; start += 500) {
    await RowModel.collection.bulkWrite(
      next.slice(start, start + 500).map((row) => ({
        updateOne: {
          filter: { _id: row._id } as never,
          update: { $set: { values: row.values, keys: row.keys, updatedAt: now } },
        },
      })),
      { ordered: false },
    );
  }
  await releaseClaims(
    rows.flatMap((row, i) =>
      changedUnique
        .filter((c) => row.values?.[c.id] != null && row.values[c.id] !== next[i].values[c.id])
        .map((c) => ({ key: cellKey(doc._id, c.id, row.values[c.id]), rowId: row._id })),
    ),
  );
  return next;
}

export async function updateRows(
  scope: WorkspaceScope,
  tableId: string,
  match: RowMatch,
  values: RowValues,
): Promise<DataTableRow[]> {
  const doc = await tableIn(scope, tableId);
  const plan = planMatch(doc, match);
  const changes = checkChanges(doc, values);
  const rows = (await readAllRows(doc._id, plan.filter)).filter(plan.test);
  return (await applyChanges(doc, rows, changes)).map((row) => toRow(doc.columns, row));
}

async function rowOf(doc: TableDoc, rowId: string): Promise<RowDoc> {
  const [row] = typeof rowId === 'string' && rowId.length <= 64 ? await rowsById(doc._id, [rowId]) : [];
  if (!row)
    throw new DataTableError(
      'not-found',
      `Table "${doc.name}" has no row ${String(rowId).slice(0, 64)}; it may have been deleted.`,
    );
  return row;
}

/** Changes cells of one row (the grid editor). */
export async function updateRow(
  scope: WorkspaceScope,
  tableId: string,
  rowId: string,
  values: RowValues,
): Promise<DataTableRow> {
  const doc = await tableIn(scope, tableId);
  const changes = checkChanges(doc, values);
  const [row] = await applyChanges(doc, [await rowOf(doc, rowId)], changes);
  return toRow(doc.columns, row);
}

async function removeRows(doc: TableDoc, rows: RowDoc[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const result = await RowModel.collection.bulkWrite(
      batch.map((row) => ({ deleteOne: { filter: { _id: row._id } as never } })),
      { ordered: false },
    );
    await adjustRowCount(doc._id, -result.deletedCount);
    await releaseClaims(
      batch.flatMap((row) =>
        claimsOf(doc.columns, row._id, row.values ?? {}).map((c) => ({
          key: cellKey(doc._id, c.column.id, c.stored),
          rowId: row._id,
        })),
      ),
    );
  }
}

export async function deleteRows(scope: WorkspaceScope, tableId: string, match: RowMatch): Promise<DataTableRow[]> {
  const doc = await tableIn(scope, tableId);
  const plan = planMatch(doc, match);
  const rows = (await readAllRows(doc._id, plan.filter)).filter(plan.test);
  await removeRows(doc, rows);
  return rows.map((row) => toRow(doc.columns, row));
}

export async function deleteRow(scope: WorkspaceScope, tableId: string, rowId: string): Promise<DataTableRow> {
  const doc = await tableIn(scope, tableId);
  const row = await rowOf(doc, rowId);
  await removeRows(doc, [row]);
  return toRow(doc.columns, row);
}

/**
 * For each row in order: updates the rows whose key columns hold its key values, or inserts it when none does (a
 * later row with the same key then updates the one just inserted). Each row must give a value for every key column.
 * With `stepKey`, an inserted row's id derives from it, as for `insertRows`.
 */
export async function upsertRows(
  scope: WorkspaceScope,
  tableId: string,
  keyNames: string[],
  rows: unknown[],
  stepKey?: string,
): Promise<{ rows: DataTableRow[]; inserted: number; updated: number }> {
  const doc = await tableIn(scope, tableId);
  const keys = keyColumns(doc, keyNames);
  const checked = rows.map((row, i) => {
    const where = rowLabel(i, rows.length);
    const changes = checkChanges(doc, row, where);
    const missing = keys.find((k) => changes[k.id] === null || changes[k.id] === undefined);
    if (missing)
      throw new DataTableError(
        'invalid',
        `${where || 'The row: '}key column "${missing.name}" has no value to find the row by.`,
        'values',
      );
    return { raw: row, changes, where };
  });
  // Everything is checked before anything is written: which rows exist, and new rows as whole rows.
  const lookup = async (changes: StoredValues) => {
    const [first, ...more] = keys.map((k) => cellKey(doc._id, k.id, changes[k.id]));
    const filter = { keys: first, ...(more.length ? { $and: more.map((key) => ({ keys: key })) } : {}) };
    return (await readAllRows(doc._id, filter)).filter((row) =>
      keys.every((k) => row.values?.[k.id] === changes[k.id]),
    );
  };
  const inserting = new Set<string>();
  const steps: Array<{ changes: StoredValues; newRow?: StoredValues }> = [];
  for (const { raw, changes, where } of checked) {
    const signature = JSON.stringify(keys.map((k) => changes[k.id]));
    const exists = inserting.has(signature) || (await lookup(changes)).length > 0;
    if (!exists) inserting.add(signature);
    steps.push({ changes, ...(exists ? {} : { newRow: checkNewRow(doc, raw, where) }) });
  }
  const out: RowDoc[] = [];
  let [inserted, updated] = [0, 0];
  for (const [i, { changes, newRow }] of steps.entries()) {
    if (newRow) {
      const id = stepKey ? stepRowId(doc._id, `${stepKey}:upsert`, i) : `row_${randomUUID()}`;
      out.push(...(await insertPrepared(doc, [{ id, values: newRow }])));
      inserted += 1;
    } else {
      const found = await lookup(changes);
      out.push(...(await applyChanges(doc, found, changes)));
      updated += found.length;
    }
  }
  return { rows: out.map((row) => toRow(doc.columns, row)), inserted, updated };
}

/**
 * A step's access to the tables of its run's workspace (RunContext `tables`): the workspace comes from the run's
 * workflow, never from the plan, as for credentials and files (decisions 037, 046).
 */
export function runTables(use: { workflowId: string }): RunTables {
  let workspace: Promise<WorkspaceScope> | undefined;
  const scope = () =>
    (workspace ??= workspaceOfWorkflow(use.workflowId).then((id) => {
      if (id) return systemScope(id);
      throw new NodeError(`Data tables cannot be used: the run's workflow ${use.workflowId} was deleted.`, {
        code: 'workflow-missing',
        retryable: false,
      });
    }));
  return {
    get: async (tableId) => getDataTable(await scope(), tableId),
    insert: async (tableId, rows, stepKey, onProgress) =>
      insertRows(await scope(), tableId, rows, { stepKey, onProgress }),
    update: async (tableId, match, values) => updateRows(await scope(), tableId, match, values),
    upsert: async (tableId, keys, rows, stepKey) => upsertRows(await scope(), tableId, keys, rows, stepKey),
    find: async (tableId, query) => findRows(await scope(), tableId, query),
    delete: async (tableId, match) => deleteRows(await scope(), tableId, match),
  };
}
