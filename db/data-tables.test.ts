// Data tables against the real FerretDB: schemas and their changes, values checked and stored by type (hostile names
// and values included), unique columns, the row and size limits, equality lookups that reach the index, idempotent
// inserts by step key, upserts, and workspaces kept apart.
import mongoose from 'mongoose';
import { DATA_TABLE_LIMITS, type DataTableView } from '../contracts/data-tables';
import { testDatabaseUri } from '../test/stack';
import { connectDb, disconnectDb } from './connection';
import { planMatch } from './data-table-cells';
import { ClaimModel, RowModel, type TableDoc } from './data-table-docs';
import { deleteRow, deleteRows, findRows, insertRows, updateRow, updateRows, upsertRows } from './data-table-rows';
import {
  addColumn,
  createDataTable,
  DataTableError,
  deleteDataTable,
  getDataTable,
  listDataTables,
  removeColumn,
  renameDataTable,
  updateColumn,
} from './data-tables';
import { createWorkspace, membershipOf, scopeOf, type WorkspaceScope } from './workspaces';

let hr: WorkspaceScope;
let it: WorkspaceScope;

async function ownerScope(name: string, owner: string): Promise<WorkspaceScope> {
  const ws = await createWorkspace({ name, ownerId: owner });
  return scopeOf((await membershipOf(ws.id, owner))!);
}

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_data_tables'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  hr = await ownerScope('HR', 'alice');
  it = await ownerScope('IT', 'bob');
});

afterAll(async () => {
  await disconnectDb();
});

async function refusal(promise: Promise<unknown>): Promise<DataTableError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DataTableError) return err;
    throw err;
  }
  throw new Error('expected a DataTableError');
}

let counter = 0;
const hires = (scope = hr) =>
  createDataTable(scope, {
    name: `Hires ${++counter}`,
    columns: [
      { name: 'Email', type: 'string', required: true, unique: true },
      { name: 'Age', type: 'number' },
      { name: 'Laptop issued', type: 'boolean' },
      { name: 'Start', type: 'date' },
      { name: 'Profile', type: 'json' },
    ],
  });

const all = { conditions: [], match: 'all' as const };
const where = (column: string, operator: 'eq' | 'gt' | 'contains' | 'isEmpty', value?: unknown) => ({
  conditions: [{ column, operator, value }],
  match: 'all' as const,
});

describe('schema', () => {
  test('a table is created with typed columns, listed by name, renamed, and deleted with its rows', async () => {
    const table = await hires();
    expect(table.columns.map((c) => [c.name, c.type, c.required, c.unique])).toEqual([
      ['Email', 'string', true, true],
      ['Age', 'number', false, false],
      ['Laptop issued', 'boolean', false, false],
      ['Start', 'date', false, false],
      ['Profile', 'json', false, false],
    ]);
    expect(table.columns.every((c) => /^c_[0-9a-f]{12}$/.test(c.id))).toBe(true);
    await insertRows(hr, table.id, [{ Email: 'ada@acme.test' }]);
    const { table: renamed, previousName } = await renameDataTable(hr, table.id, '  Equipment  ');
    expect([renamed.name, previousName]).toEqual(['Equipment', table.name]);
    expect((await listDataTables(hr)).map((t) => t.name)).toContain('Equipment');
    await createDataTable(hr, { name: 'Zeta' });
    const names = (await listDataTables(hr)).map((t) => t.name);
    expect(names.indexOf('Equipment')).toBeLessThan(names.indexOf('Zeta'));

    expect((await refusal(createDataTable(hr, { name: 'EQUIPMENT' }))).message).toBe(
      'This workspace already has a data table "Equipment".',
    );
    await deleteDataTable(hr, table.id);
    expect(await getDataTable(hr, table.id)).toBeUndefined();
    expect(await RowModel.countDocuments({ tableId: table.id })).toBe(0);
    expect(await ClaimModel.countDocuments({ tableId: table.id })).toBe(0);
  });

  test('names are checked: empty, too long, control characters, reserved and duplicate column names', async () => {
    const bad = async (name: string) => (await refusal(createDataTable(hr, { name }))).message;
    expect(await bad('   ')).toBe('Give the table a name.');
    expect(await bad('x'.repeat(101))).toBe('The name is 101 characters long; the limit is 100.');
    expect(await bad('Two\nlines')).toBe('The name may not hold control characters (line breaks, tabs…).');
    const column = async (name: string) =>
      (await refusal(createDataTable(hr, { name: `T ${++counter}`, columns: [{ name, type: 'string' }] }))).message;
    expect(await column('id')).toBe(
      '"id" is reserved (every row has id, createdAt and updatedAt); choose another name.',
    );
    expect(await column('__proto__')).toContain('"__proto__" is reserved');
    expect(await column('CreatedAt')).toContain('is reserved');
    const table = await createDataTable(hr, { name: `T ${++counter}`, columns: [{ name: 'Email', type: 'string' }] });
    expect((await refusal(addColumn(hr, table.id, { name: 'email', type: 'number' }))).message).toBe(
      'The table already has a column "email".',
    );
    expect((await refusal(addColumn(hr, table.id, { name: 'Size', type: 'float' as never }))).message).toBe(
      'Column "Size": the type must be one of string, number, boolean, date, json, not "float".',
    );
  });

  test('hostile column names are plain names: stored, read back and matched as written', async () => {
    const names = [
      '$where',
      'a.b.c',
      '<img src=x onerror=alert(1)>',
      'Émile 🚀',
      "O'Brien; DROP TABLE",
      'constructor2',
    ];
    const table = await createDataTable(hr, {
      name: `Hostile ${++counter}`,
      columns: names.map((name) => ({ name, type: 'string' as const })),
    });
    const values = Object.fromEntries(names.map((name, i) => [name, `value ${i}`]));
    await insertRows(hr, table.id, [values]);
    const { rows } = await findRows(hr, table.id, where('a.b.c', 'eq', 'value 1'));
    expect(rows).toHaveLength(1);
    expect(rows[0].values).toEqual(values);
    const stored = (await RowModel.collection.findOne({ tableId: table.id }))!;
    expect(Object.keys(stored.values).every((key) => /^c_[0-9a-f]{12}$/.test(key))).toBe(true);
  });

  test('columns are added, renamed, made required or unique only when the rows allow it, and removed', async () => {
    const table = await hires();
    const age = table.columns.find((c) => c.name === 'Age')!;
    await insertRows(hr, table.id, [
      { Email: 'a@acme.test', Age: 30 },
      { Email: 'b@acme.test', Age: 30 },
      { Email: 'c@acme.test' },
    ]);
    expect((await refusal(addColumn(hr, table.id, { name: 'Desk', type: 'string', required: true }))).message).toBe(
      'Column "Desk" cannot start as required: the table\'s 3 rows have no value in it. Add it as optional, fill it in, then make it required.',
    );
    expect((await refusal(updateColumn(hr, table.id, age.id, { required: true }))).message).toBe(
      'Column "Age" cannot be required yet: 1 row has no value in it.',
    );
    expect((await refusal(updateColumn(hr, table.id, age.id, { unique: true }))).message).toBe(
      'Column "Age" cannot be unique: several rows hold 30.',
    );
    await updateRows(hr, table.id, where('Email', 'eq', 'b@acme.test'), { Age: 31 });
    await updateRows(hr, table.id, where('Email', 'eq', 'c@acme.test'), { Age: 32 });
    const { after } = await updateColumn(hr, table.id, age.id, { name: 'Years', required: true, unique: true });
    expect(after).toMatchObject({ id: age.id, name: 'Years', required: true, unique: true });
    expect((await refusal(insertRows(hr, table.id, [{ Email: 'd@acme.test', Years: 30 }]))).message).toBe(
      'Column "Years" is unique, and another row already holds 30.',
    );
    const { rows } = await findRows(hr, table.id, { ...all, sort: { column: 'years', direction: 'desc' } });
    expect(rows.map((r) => r.values.Years)).toEqual([32, 31, 30]);

    await removeColumn(hr, table.id, age.id);
    const reread = (await getDataTable(hr, table.id))!;
    expect(reread.columns.map((c) => c.name)).not.toContain('Years');
    const stored = await RowModel.collection.find({ tableId: table.id }).toArray();
    expect(stored.every((r) => !(age.id in r.values) && r.keys.length === 1)).toBe(true);
    expect(await ClaimModel.countDocuments({ tableId: table.id, columnId: age.id })).toBe(0);
    // The value it held is free again once the column is gone and comes back.
    const { column } = await addColumn(hr, table.id, { name: 'Years', type: 'number', unique: true });
    await insertRows(hr, table.id, [{ Email: 'd@acme.test', Years: 30 }]);
    expect(column.id).not.toBe(age.id);
  });
});

describe('values', () => {
  test('each type takes its values and the obvious conversions, and stores one form', async () => {
    const table = await hires();
    const [row] = await insertRows(hr, table.id, [
      {
        Email: 42,
        Age: ' 41.5 ',
        'Laptop issued': 'TRUE',
        Start: '2025-03-01',
        Profile: { $where: 1, 'a.b': [null, 'x'] },
      },
    ]);
    expect(row.values).toEqual({
      Email: '42',
      Age: 41.5,
      'Laptop issued': true,
      Start: '2025-03-01T00:00:00.000Z',
      Profile: { $where: 1, 'a.b': [null, 'x'] },
    });
    const [zoned] = await insertRows(hr, table.id, [
      { Email: 'z@acme.test', Start: '2025-03-01T09:30:00+02:00', Age: -0 },
    ]);
    expect(zoned.values).toMatchObject({ Start: '2025-03-01T07:30:00.000Z', Age: 0, Profile: null });
    const stored = (await RowModel.collection.findOne({ _id: row.id as never }))!;
    expect(Object.values(stored.values)).toContain('{"$where":1,"a.b":[null,"x"]}');
  });

  test('wrong values are refused naming the row and column; nothing of the call is written', async () => {
    const table = await hires();
    const bad = async (values: Record<string, unknown>) => (await refusal(insertRows(hr, table.id, [values]))).message;
    expect(await bad({ Email: 'a@acme.test', Age: 'forty' })).toBe('Column "Age" (number): "forty" is not a number.');
    expect(await bad({ Email: 'a@acme.test', Age: Number.NaN })).toBe('Column "Age" (number): NaN is not a number.');
    expect(await bad({ Email: 'a@acme.test', 'Laptop issued': 'yes' })).toBe(
      'Column "Laptop issued" (yes / no): "yes" is not true or false.',
    );
    expect(await bad({ Email: 'a@acme.test', Start: '2025-02-30' })).toBe(
      'Column "Start" (date): "2025-02-30" is not a date; write it like 2025-03-01 or 2025-03-01T09:30:00Z.',
    );
    expect(await bad({ Email: { first: 'a' } })).toBe('Column "Email" (text): expects text, not an object.');
    expect(await bad({ Email: 'nul\u0000byte' })).toBe(
      'Column "Email" (text): text may not contain the NUL character (U+0000).',
    );
    expect(await bad({ Age: 3 })).toBe('Column "Email" (text) is required: give it a value.');
    expect(await bad({ Email: '' })).toBe('Column "Email" (text) is required: give it a value.');
    expect(await bad({ Email: 'a@acme.test', Salary: 1 })).toBe(
      'Column "Salary" does not exist in table "' +
        table.name +
        '" (its columns: "Email", "Age", "Laptop issued", "Start", "Profile").',
    );
    const second = await refusal(insertRows(hr, table.id, [{ Email: 'ok@acme.test' }, { Email: 'x', Age: 'y' }]));
    expect(second.message).toBe('Row 2: Column "Age" (number): "y" is not a number.');
    expect(second.part).toBe('values');
    expect(await RowModel.countDocuments({ tableId: table.id })).toBe(0);
    expect((await getDataTable(hr, table.id))!.rowCount).toBe(0);
  });

  test('a row over the size limit is refused with its size; a huge text fits up to the limit', async () => {
    const table = await createDataTable(hr, {
      name: `Notes ${++counter}`,
      columns: [{ name: 'Note', type: 'string' }],
    });
    const err = await refusal(insertRows(hr, table.id, [{ Note: 'x'.repeat(20_000) }]));
    expect(err.code).toBe('limit');
    expect(err.message).toBe(
      'The row is 19.6 KB; a row holds at most 16 KB. Keep large documents in files and store their names here.',
    );
    const [fits] = await insertRows(hr, table.id, [{ Note: 'é'.repeat(7_000) }]);
    expect((fits.values.Note as string).length).toBe(7_000);
  });

  test('a table holds at most the row limit; the count is exact after deletes', async () => {
    const table = await createDataTable(hr, { name: `Big ${++counter}`, columns: [{ name: 'N', type: 'number' }] });
    const many = Array.from({ length: DATA_TABLE_LIMITS.rowsPerTable }, (_, i) => ({ N: i }));
    await insertRows(hr, table.id, many);
    expect((await getDataTable(hr, table.id))!.rowCount).toBe(DATA_TABLE_LIMITS.rowsPerTable);
    const err = await refusal(insertRows(hr, table.id, [{ N: -1 }]));
    expect(err.message).toBe(
      `Table "${table.name}" holds 10000 rows; adding 1 would pass its limit of 10000. Delete rows you no longer need, or keep the data in another table.`,
    );
    expect((await getDataTable(hr, table.id))!.rowCount).toBe(DATA_TABLE_LIMITS.rowsPerTable);
    const removed = await deleteRows(hr, table.id, {
      conditions: [{ column: 'N', operator: 'lt', value: 10 }],
      match: 'all',
    });
    expect(removed).toHaveLength(10);
    await insertRows(hr, table.id, [{ N: -1 }]);
    expect((await getDataTable(hr, table.id))!.rowCount).toBe(DATA_TABLE_LIMITS.rowsPerTable - 9);
    const page = await findRows(hr, table.id, { ...all, offset: 100, limit: 5 });
    expect(page.total).toBe(DATA_TABLE_LIMITS.rowsPerTable - 9);
    expect(page.rows.map((r) => r.values.N)).toEqual([110, 111, 112, 113, 114]);
  }, 120_000);
});

describe('rows', () => {
  test('equalities read the index, other conditions are tested; any, sort, search and paging', async () => {
    const table = await hires();
    await insertRows(hr, table.id, [
      { Email: 'ada@acme.test', Age: 36, Start: '2025-03-01' },
      { Email: 'grace@acme.test', Age: 45, 'Laptop issued': true },
      { Email: 'linus@acme.test', Age: 28 },
    ]);
    const doc = (await mongoose.connection
      .db!.collection('data_tables')
      .findOne({ _id: table.id as never })) as unknown as TableDoc;
    const plan = planMatch(doc, where('Email', 'eq', 'grace@acme.test'));
    expect(Object.keys(plan.filter)).toEqual(['keys']);
    const explained = await mongoose.connection.db!.command({
      explain: { find: 'data_table_rows', filter: { tableId: table.id, ...plan.filter } },
    });
    if (explained.serverInfo?.ferretdbVersion) {
      expect(explained.filterPushdown).toBe(true);
      expect(JSON.stringify(explained.queryPlanner)).toMatch(/"Index Name":"[^"]*keys[^"]*_eq"/);
    }
    const names = async (query: Parameters<typeof findRows>[2]) =>
      (await findRows(hr, table.id, query)).rows.map((r) => r.values.Email);
    expect(await names(where('Email', 'eq', 'grace@acme.test'))).toEqual(['grace@acme.test']);
    expect(await names(where('Age', 'gt', '30'))).toEqual(['ada@acme.test', 'grace@acme.test']);
    expect(await names(where('Laptop issued', 'isEmpty'))).toEqual(['ada@acme.test', 'linus@acme.test']);
    expect(await names(where('Email', 'contains', 'LINUS'))).toEqual(['linus@acme.test']);
    expect(
      await names({
        conditions: [
          { column: 'Age', operator: 'eq', value: 28 },
          { column: 'Email', operator: 'eq', value: 'ada@acme.test' },
        ],
        match: 'any',
      }),
    ).toEqual(['ada@acme.test', 'linus@acme.test']);
    expect(await names({ ...all, sort: { column: 'Age', direction: 'desc' }, offset: 1, limit: 1 })).toEqual([
      'ada@acme.test',
    ]);
    expect(await names({ ...all, search: '2025-03' })).toEqual(['ada@acme.test']);
    const wrong = await refusal(findRows(hr, table.id, where('Laptop issued', 'gt', true)));
    expect(wrong.message).toBe(
      'Condition 1: Column "Laptop issued" (yes / no) is greater than: ordering applies to text, number and date columns only.',
    );
    expect(wrong.part).toBe('conditions');
    expect((await refusal(findRows(hr, table.id, where('Nope', 'eq', 1)))).message).toMatch(
      /^Condition 1: column "Nope" does not exist in table/,
    );
  });

  test('unique values: a second row cannot take one, a changed or deleted row frees it, a stale claim is taken over', async () => {
    const table = await hires();
    const [ada] = await insertRows(hr, table.id, [{ Email: 'ada@acme.test' }]);
    expect((await refusal(insertRows(hr, table.id, [{ Email: 'ada@acme.test' }]))).message).toBe(
      'Column "Email" is unique, and another row already holds "ada@acme.test".',
    );
    expect(
      (await refusal(insertRows(hr, table.id, [{ Email: 'x@acme.test' }, { Email: 'x@acme.test' }]))).message,
    ).toBe('Column "Email" is unique, and two of these rows hold "x@acme.test".');
    const [bob] = await insertRows(hr, table.id, [{ Email: 'bob@acme.test' }]);
    expect((await refusal(updateRow(hr, table.id, bob.id, { Email: 'ada@acme.test' }))).code).toBe('conflict');
    await updateRow(hr, table.id, ada.id, { Email: 'ada.l@acme.test' });
    await updateRow(hr, table.id, bob.id, { Email: 'ada@acme.test' });
    await deleteRow(hr, table.id, bob.id);
    await insertRows(hr, table.id, [{ Email: 'ada@acme.test' }]);
    // A write that died after claiming but before storing its row leaves a claim no row holds.
    const email = table.columns[0];
    const { cellKey } = await import('./data-table-docs');
    await ClaimModel.collection.insertOne({
      _id: cellKey(table.id, email.id, 'ghost@acme.test') as never,
      tableId: table.id,
      columnId: email.id,
      rowId: 'row_never_written',
    });
    await insertRows(hr, table.id, [{ Email: 'ghost@acme.test' }]);
    expect(await ClaimModel.countDocuments({ tableId: table.id })).toBe(3);
  });

  test('an insert under a step key does not add its rows again when the step is retried', async () => {
    const table = await hires();
    const rows = [{ Email: 'one@acme.test' }, { Email: 'two@acme.test', Age: 2 }];
    const first = await insertRows(hr, table.id, rows, { stepKey: 'run-1:insert:0' });
    const retried = await insertRows(hr, table.id, rows, { stepKey: 'run-1:insert:0' });
    expect(retried.map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort());
    expect((await findRows(hr, table.id, all)).total).toBe(2);
    expect((await getDataTable(hr, table.id))!.rowCount).toBe(2);
    // Another step with the same values is another insert, refused by the unique column.
    expect((await refusal(insertRows(hr, table.id, rows, { stepKey: 'run-2:insert:0' }))).code).toBe('conflict');
  });

  test('upsert updates rows found by their key columns and inserts the others, in order', async () => {
    const table = await hires();
    await insertRows(hr, table.id, [{ Email: 'ada@acme.test', Age: 36 }]);
    const result = await upsertRows(
      hr,
      table.id,
      ['Email'],
      [
        { Email: 'ada@acme.test', 'Laptop issued': true },
        { Email: 'new@acme.test', Age: 20 },
        { Email: 'new@acme.test', Age: 21 },
      ],
      'run-3:upsert:0',
    );
    expect([result.inserted, result.updated]).toEqual([1, 2]);
    const { rows } = await findRows(hr, table.id, all);
    expect(rows.map((r) => [r.values.Email, r.values.Age, r.values['Laptop issued']])).toEqual([
      ['ada@acme.test', 36, true],
      ['new@acme.test', 21, null],
    ]);
    expect((await refusal(upsertRows(hr, table.id, ['Age'], [{ Email: 'q@acme.test' }]))).message).toBe(
      'The row: key column "Age" has no value to find the row by.',
    );
    expect((await refusal(upsertRows(hr, table.id, ['Desk'], [{ Email: 'q@acme.test' }]))).part).toBe('keys');
  });
});

describe('workspaces', () => {
  test('another workspace’s table reads as missing for every operation and is not listed', async () => {
    const table: DataTableView = await hires(hr);
    const [row] = await insertRows(hr, table.id, [{ Email: 'secret@acme.test' }]);
    expect(await getDataTable(it, table.id)).toBeUndefined();
    expect((await listDataTables(it)).map((t) => t.id)).not.toContain(table.id);
    const missing: Array<() => Promise<unknown>> = [
      () => insertRows(it, table.id, [{ Email: 'x' }]),
      () => findRows(it, table.id, all),
      () => updateRows(it, table.id, all, { Age: 1 }),
      () => updateRow(it, table.id, row.id, { Age: 1 }),
      () => deleteRows(it, table.id, all),
      () => deleteRow(it, table.id, row.id),
      () => renameDataTable(it, table.id, 'Mine'),
      () => deleteDataTable(it, table.id),
      () => addColumn(it, table.id, { name: 'X', type: 'string' }),
    ];
    for (const attempt of missing) expect((await refusal(attempt())).code).toBe('not-found');
    expect((await findRows(hr, table.id, all)).rows.map((r) => r.values.Email)).toEqual(['secret@acme.test']);
    // The same name is free in another workspace.
    await createDataTable(it, { name: table.name });
  });

  test('a workspace holds at most the table limit', async () => {
    const scope = await ownerScope('Many', 'carol');
    for (let i = 0; i < DATA_TABLE_LIMITS.tablesPerWorkspace; i++) await createDataTable(scope, { name: `T${i}` });
    expect((await refusal(createDataTable(scope, { name: 'One more' }))).message).toBe(
      'A workspace has at most 100 data tables; delete one before creating "One more".',
    );
  }, 60_000);
});
