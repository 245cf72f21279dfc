// The data tables API through the real web server: tables, columns and rows created, changed and deleted; bad values
// refused with 400 naming the column (and 409 for a taken unique value); paging, search and a column filter; a viewer
// reads but is refused writes (403 naming workflow.write); another workspace gets 404; table and schema changes each
// leave one audit entry, row edits none.
import mongoose from 'mongoose';
import { startWebStack, type WebStack, viewerAndOutsider } from './web-test-stack';

let stack: WebStack;
let viewerToken: string;
let otherToken: string;

const audit = (action: string, targetId: string) =>
  mongoose.connection.db!.collection('audit_log').find({ action, 'target.id': targetId }).toArray();

beforeAll(async () => {
  stack = await startWebStack('data_tables');
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

async function newTable(name: string) {
  const res = await stack.api('POST', '/api/data-tables', {
    name,
    columns: [
      { name: 'Email', type: 'string', required: true, unique: true },
      { name: 'Laptop issued', type: 'boolean' },
    ],
  });
  expect(res.status).toBe(201);
  return res.body.table as { id: string; columns: Array<{ id: string; name: string }> };
}

test('a table, its columns and rows through the API, with each table and schema change audited', async () => {
  const table = await newTable('IT equipment');
  expect((await audit('data-table.create', table.id))[0].change).toEqual({
    columns: ['Email (string)', 'Laptop issued (boolean)'],
  });

  const added = await stack.api('POST', `/api/data-tables/${table.id}/columns`, { name: 'Start', type: 'date' });
  expect(added.status).toBe(201);
  const start = added.body.column.id as string;
  const changed = await stack.api('PATCH', `/api/data-tables/${table.id}/columns/${start}`, { name: 'Start date' });
  expect(changed.body.column.name).toBe('Start date');

  const inserted = await stack.api('POST', `/api/data-tables/${table.id}/rows`, {
    rows: [
      { Email: 'ada@acme.test', 'Start date': '2025-03-03' },
      { Email: 'grace@acme.test', 'Laptop issued': true },
      { Email: 'linus@acme.test' },
    ],
  });
  expect(inserted.status).toBe(201);
  expect(inserted.body.rows[0].values).toEqual({
    Email: 'ada@acme.test',
    'Laptop issued': null,
    'Start date': '2025-03-03T00:00:00.000Z',
  });
  const ada = inserted.body.rows[0].id as string;

  const patched = await stack.api('PATCH', `/api/data-tables/${table.id}/rows/${ada}`, {
    values: { 'Laptop issued': 'true' },
  });
  expect(patched.body.row.values['Laptop issued']).toBe(true);

  const page = await stack.api('GET', `/api/data-tables/${table.id}/rows?offset=1&limit=1`);
  expect(page.body.total).toBe(3);
  expect(page.body.rows.map((r: { values: { Email: string } }) => r.values.Email)).toEqual(['grace@acme.test']);
  const searched = await stack.api('GET', `/api/data-tables/${table.id}/rows?search=LINUS`);
  expect(searched.body.rows.map((r: { values: { Email: string } }) => r.values.Email)).toEqual(['linus@acme.test']);
  const filtered = await stack.api(
    'GET',
    `/api/data-tables/${table.id}/rows?column=${encodeURIComponent('Laptop issued')}&operator=eq&value=true`,
  );
  expect(filtered.body.total).toBe(2);
  const sorted = await stack.api('GET', `/api/data-tables/${table.id}/rows?sort=Email&direction=desc`);
  expect(sorted.body.rows[0].values.Email).toBe('linus@acme.test');

  expect((await stack.api('DELETE', `/api/data-tables/${table.id}/rows/${ada}`)).status).toBe(200);
  expect((await stack.api('GET', `/api/data-tables/${table.id}`)).body.table.rowCount).toBe(2);
  expect((await stack.api('DELETE', `/api/data-tables/${table.id}/columns/${start}`)).body.table.columns).toHaveLength(
    2,
  );
  const renamed = await stack.api('PATCH', `/api/data-tables/${table.id}`, { name: 'Equipment issued' });
  expect(renamed.body.table.name).toBe('Equipment issued');
  expect((await stack.api('DELETE', `/api/data-tables/${table.id}`)).body).toEqual({ deleted: true, id: table.id });
  expect((await stack.api('GET', `/api/data-tables/${table.id}`)).status).toBe(404);

  const schema = (await audit('data-table.schema', table.id)).map((e) => e.change);
  expect(schema).toEqual([
    { added: 'Start', type: 'date', required: false, unique: false },
    { column: 'Start date', name: { from: 'Start', to: 'Start date' } },
    { removed: 'Start date', type: 'date' },
  ]);
  expect((await audit('data-table.rename', table.id))[0]).toMatchObject({
    change: { name: { from: 'IT equipment', to: 'Equipment issued' } },
    actor: { name: 'Owner', via: 'token' },
  });
  expect((await audit('data-table.delete', table.id))[0].change).toEqual({ rows: 2 });
  const all = await mongoose.connection.db!.collection('audit_log').countDocuments({ 'target.id': table.id });
  expect(all).toBe(6);
});

test('bad input: 400 naming the field or column, 409 for a taken name or unique value', async () => {
  const table = await newTable('Checks');
  const noName = await stack.api('POST', '/api/data-tables', { name: '' });
  expect([noName.status, noName.body.error.message]).toEqual([400, 'Give the table a name.']);
  const badType = await stack.api('POST', '/api/data-tables', { name: 'X', columns: [{ name: 'A', type: 'money' }] });
  expect(badType.status).toBe(400);
  expect(badType.body.error.message).toContain('columns.0.type: expected one of string, number, boolean, date, json');
  expect((await stack.api('POST', '/api/data-tables', { name: 'checks' })).status).toBe(409);

  const wrong = await stack.api('POST', `/api/data-tables/${table.id}/rows`, {
    values: { Email: 'a@acme.test', 'Laptop issued': 'maybe' },
  });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error).toMatchObject({
    message: 'Column "Laptop issued" (yes / no): "maybe" is not true or false.',
    code: 'invalid',
    part: 'values',
  });
  const unknown = await stack.api('POST', `/api/data-tables/${table.id}/rows`, { values: { Email: 'a', $where: 1 } });
  expect(unknown.body.error.message).toBe(
    'Column "$where" does not exist in table "Checks" (its columns: "Email", "Laptop issued").',
  );
  await stack.api('POST', `/api/data-tables/${table.id}/rows`, { values: { Email: 'a@acme.test' } });
  const taken = await stack.api('POST', `/api/data-tables/${table.id}/rows`, { values: { Email: 'a@acme.test' } });
  expect([taken.status, taken.body.error.message]).toEqual([
    409,
    'Column "Email" is unique, and another row already holds "a@acme.test".',
  ]);
  const badFilter = await stack.api('GET', `/api/data-tables/${table.id}/rows?column=Nope&value=1`);
  expect(badFilter.status).toBe(400);
  expect(badFilter.body.error.message).toMatch(/^Condition 1: column "Nope" does not exist/);
  const neither = await stack.api('POST', `/api/data-tables/${table.id}/rows`, {});
  expect(neither.body.error.message).toBe('Invalid request: body: give either values or rows.');
  const huge = await stack.api('POST', `/api/data-tables/${table.id}/rows`, {
    values: { Email: 'x'.repeat(3 * 1024 * 1024) },
  });
  expect(huge.status).toBe(413);
  const bigRow = await stack.api('POST', `/api/data-tables/${table.id}/rows`, {
    values: { Email: 'y'.repeat(40_000) },
  });
  expect([bigRow.status, bigRow.body.error.code]).toEqual([400, 'limit']);
  expect((await stack.api('GET', `/api/data-tables/${table.id}`)).body.table.rowCount).toBe(1);
});

test('a viewer reads and is refused writes; another workspace gets 404 and an empty list', async () => {
  const table = await newTable('Viewer can read');
  const asViewer = (method: string, path: string, body?: unknown) =>
    stack.api(method, path, body, { token: viewerToken });
  expect((await asViewer('GET', '/api/data-tables')).body.tables.map((t: { id: string }) => t.id)).toContain(table.id);
  expect((await asViewer('GET', `/api/data-tables/${table.id}/rows`)).status).toBe(200);
  const refused = await asViewer('POST', `/api/data-tables/${table.id}/rows`, { values: { Email: 'v@acme.test' } });
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toContain('workflow.write');

  const asOther = (method: string, path: string, body?: unknown) =>
    stack.api(method, path, body, { token: otherToken });
  expect((await asOther('GET', '/api/data-tables')).body.tables).toEqual([]);
  for (const [method, path, body] of [
    ['GET', `/api/data-tables/${table.id}`],
    ['GET', `/api/data-tables/${table.id}/rows`],
    ['POST', `/api/data-tables/${table.id}/rows`, { values: { Email: 'o@acme.test' } }],
    ['PATCH', `/api/data-tables/${table.id}`, { name: 'Mine now' }],
    ['DELETE', `/api/data-tables/${table.id}`],
  ] as Array<[string, string, unknown?]>)
    expect({ method, path, status: (await asOther(method, path, body)).status }).toEqual({ method, path, status: 404 });
  expect((await stack.api('GET', `/api/data-tables/${table.id}`)).body.table.name).toBe('Viewer can read');
});
