// Unique columns of data tables: a row holding a value of a unique column first claims it, by inserting a claim whose
// `_id` is the cell's key. The primary key makes that atomic on FerretDB too, where a conditional update is not
// (decision 036). A claim left by a write that died before its row was stored is stale: its row does not hold the
// value, and the next claimant takes it over.
import { readCell, describeValue, type StoredCell } from '../contracts/data-table-values';
import type { DataTableColumn } from '../contracts/data-tables';
import { cellKey, ClaimModel, DataTableError, RowModel, type ClaimDoc, type RowDoc } from './data-table-docs';
import { isDuplicateKey } from './duplicate-key';

export interface WantedClaim {
  column: DataTableColumn;
  stored: StoredCell;
  rowId: string;
}

const keyOf = (tableId: string, want: WantedClaim) => cellKey(tableId, want.column.id, want.stored);

function conflict(want: WantedClaim): DataTableError {
  return new DataTableError(
    'conflict',
    `Column "${want.column.name}" is unique, and another row already holds ${describeValue(readCell(want.column.type, want.stored))}.`,
    'values',
  );
}

/** Whether an existing claim still stands: its row exists in the table and holds the value. */
async function standing(tableId: string, claim: ClaimDoc): Promise<boolean> {
  const row = (await RowModel.collection.findOne({ _id: claim.rowId } as never)) as RowDoc | null;
  return Boolean(row && row.tableId === tableId && row.keys?.includes(claim._id));
}

/** Resolves a claim whose insert collided: ours already, a stale one taken over, or a conflict (false). */
async function settle(tableId: string, key: string, want: WantedClaim, held: ClaimDoc | undefined): Promise<boolean> {
  if (!held) {
    try {
      await ClaimModel.collection.insertOne({
        _id: key,
        tableId,
        columnId: want.column.id,
        rowId: want.rowId,
      } as never);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
  if (held.rowId === want.rowId) return true;
  if (await standing(tableId, held)) return false;
  const taken = await ClaimModel.collection.updateOne({ _id: key, rowId: held.rowId } as never, {
    $set: { rowId: want.rowId, columnId: want.column.id },
  });
  return taken.matchedCount === 1;
}

/**
 * Claims every wanted value for its row, or none: on a conflict the claims this call made are released and the
 * error names the column and value. Values wanted twice in one call conflict with each other.
 */
export async function claimValues(tableId: string, wanted: WantedClaim[]): Promise<void> {
  if (wanted.length === 0) return;
  const seen = new Map<string, WantedClaim>();
  for (const want of wanted) {
    const key = keyOf(tableId, want);
    const earlier = seen.get(key);
    if (earlier && earlier.rowId !== want.rowId)
      throw new DataTableError(
        'conflict',
        `Column "${want.column.name}" is unique, and two of these rows hold ${describeValue(readCell(want.column.type, want.stored))}.`,
        'values',
      );
    seen.set(key, want);
  }
  const docs = [...seen].map(([key, want]) => ({ _id: key, tableId, columnId: want.column.id, rowId: want.rowId }));
  const collided = new Set<number>();
  try {
    await ClaimModel.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code: number }> }).writeErrors;
    if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw err;
    for (const w of writeErrors) collided.add(w.index);
  }
  // A retried write finds all its claims taken by itself: read the table's claims once, not one by one.
  const held = new Map<string, ClaimDoc>();
  if (collided.size > 0)
    for (const claim of (await ClaimModel.collection.find({ tableId } as never).toArray()) as unknown as ClaimDoc[])
      held.set(claim._id, claim);
  for (const index of collided) {
    const want = seen.get(docs[index]._id)!;
    if (await settle(tableId, docs[index]._id, want, held.get(docs[index]._id))) continue;
    const made = docs.filter((_, i) => !collided.has(i));
    await releaseClaims(made.map((d) => ({ key: d._id, rowId: d.rowId })));
    throw conflict(want);
  }
}

/** Releases claims, each only while its row still holds it. */
export async function releaseClaims(claims: Array<{ key: string; rowId: string }>): Promise<void> {
  if (claims.length === 0) return;
  await ClaimModel.collection.bulkWrite(
    claims.map((c) => ({ deleteOne: { filter: { _id: c.key, rowId: c.rowId } as never } })),
    { ordered: false },
  );
}

/** The claims of one unique column of a row's stored values. */
export function claimsOf(columns: readonly DataTableColumn[], rowId: string, values: Record<string, StoredCell>) {
  return columns
    .filter((c) => c.unique && values[c.id] !== null && values[c.id] !== undefined)
    .map((column) => ({ column, stored: values[column.id], rowId }));
}

export async function dropColumnClaims(tableId: string, columnId: string): Promise<void> {
  await ClaimModel.collection.deleteMany({ tableId, columnId } as never);
}

export async function dropTableClaims(tableId: string): Promise<void> {
  await ClaimModel.collection.deleteMany({ tableId } as never);
}
