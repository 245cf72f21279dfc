// The statements the helpers build, per database: names checked and quoted by each dialect, every value a bound
// parameter (never in the SQL text), conditions, batches, upserts; and what the specs check in the editor.
import { checkParams } from '../../ir/params';
import { spec as mysqlSpec } from '../mysql/spec';
import { spec as postgresSpec } from '../postgres/spec';
import { spec as sqliteSpec } from '../sqlite/spec';
import { mysqlDialect, postgresDialect, sqliteDialect } from './dialects';
import { identifierProblem, SqlFieldError, tableNameProblem } from './identifiers';
import { checkOperation } from './params';
import { deleteStatement, insertStatements, rowsToWrite, selectStatement, updateStatement } from './statements';

const hostile = "x'); DROP TABLE employees; --";

test('plain names pass; names with quotes, semicolons, comments or control characters are refused', () => {
  for (const name of ['employees', 'Employee_2024', 'first name', 'héllo', 'price$', '_id', 'a-b'])
    expect([name, identifierProblem(name)]).toEqual([name, undefined]);
  for (const name of [
    'a"b',
    'a`b',
    "a'b",
    'a;b',
    'a--b',
    'a/*b',
    'a\u0000b',
    'a\nb',
    '1abc',
    ' a',
    'x'.repeat(64),
    '',
    'a.b',
  ])
    expect([name, identifierProblem(name)]).toEqual([name, expect.any(String)]);
  expect(tableNameProblem('hr.employees')).toBeUndefined();
  expect(tableNameProblem('a.b.c')).toMatch(/more than one dot/);
  expect(tableNameProblem('hr."x"')).toMatch(/is not a plain name/);
});

test('a select quotes every name per dialect and binds every value', () => {
  const select = {
    table: 'hr.employees',
    columns: 'id, first name',
    where: [
      { column: 'email', operator: '=' as const, value: hostile },
      { column: 'id', operator: 'in' as const, value: [1, 2] },
      { column: 'left_at', operator: 'isNull' as const },
    ],
    combine: 'all' as const,
    orderBy: [{ column: 'id', direction: 'desc' as const }],
    maxRows: 50,
  };
  expect(selectStatement(postgresDialect, select)).toEqual({
    sql:
      'SELECT "id", "first name" FROM "hr"."employees" WHERE ("email" = $1) AND ("id" IN ($2, $3)) AND ' +
      '("left_at" IS NULL) ORDER BY "id" DESC LIMIT 51',
    values: [hostile, 1, 2],
  });
  expect(selectStatement(mysqlDialect, select).sql).toBe(
    'SELECT `id`, `first name` FROM `hr`.`employees` WHERE (`email` = ?) AND (`id` IN (?, ?)) AND ' +
      '(`left_at` IS NULL) ORDER BY `id` DESC LIMIT 51',
  );
  expect(selectStatement(sqliteDialect, { ...select, combine: 'any', columns: '' }).sql).toBe(
    'SELECT * FROM "hr"."employees" WHERE ("email" = ?) OR ("id" IN (?, ?)) OR ("left_at" IS NULL) ORDER BY "id" DESC LIMIT 51',
  );
  const empty = selectStatement(postgresDialect, { ...select, where: [{ column: 'id', operator: 'in', value: [] }] });
  expect(empty).toEqual({ sql: expect.stringContaining(' WHERE 1 = 0 ORDER BY'), values: [] });
});

test('inserts batch rows with the same columns, and upserts update the other columns', () => {
  const rows = rowsToWrite(undefined, [{ email: 'a@x', name: hostile }, { email: 'b@x', name: 'B' }, { email: 'c@x' }]);
  expect(insertStatements(postgresDialect, 'employees', rows)).toEqual([
    {
      sql: 'INSERT INTO "employees" ("email", "name") VALUES ($1, $2), ($3, $4) RETURNING *',
      values: ['a@x', hostile, 'b@x', 'B'],
    },
    { sql: 'INSERT INTO "employees" ("email") VALUES ($1) RETURNING *', values: ['c@x'] },
  ]);
  expect(insertStatements(mysqlDialect, 'employees', rows.slice(0, 1), 'email')[0].sql).toBe(
    'INSERT INTO `employees` (`email`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)',
  );
  expect(insertStatements(sqliteDialect, 'employees', rows.slice(2), 'email')[0].sql).toBe(
    'INSERT INTO "employees" ("email") VALUES (?) ON CONFLICT ("email") DO NOTHING RETURNING *',
  );
  expect(() => insertStatements(postgresDialect, 'employees', rows.slice(2), 'id')).toThrow(
    new SqlFieldError('Conflict columns', '"id" is not among the columns written (email)'),
  );
  const many = rowsToWrite(
    undefined,
    Array.from({ length: 2500 }, (_, i) => ({ n: i })),
  );
  expect(insertStatements(sqliteDialect, 't', many).map((s) => s.values.length)).toEqual([1000, 1000, 500]);
});

test('updates and deletes need a condition; rows must be objects with plain column names', () => {
  expect(
    updateStatement(postgresDialect, {
      table: 'employees',
      values: { name: hostile },
      where: [{ column: 'email', operator: '=', value: 'a@x' }],
      combine: 'all',
    }),
  ).toEqual({ sql: 'UPDATE "employees" SET "name" = $1 WHERE "email" = $2 RETURNING *', values: [hostile, 'a@x'] });
  expect(
    deleteStatement(mysqlDialect, { table: 't', where: [{ column: 'id', operator: '>', value: 3 }], combine: 'all' }),
  ).toEqual({
    sql: 'DELETE FROM `t` WHERE `id` > ?',
    values: [3],
  });
  expect(() => deleteStatement(mysqlDialect, { table: 't', where: [], combine: 'all' })).toThrow(
    /needs at least one condition/,
  );
  expect(() => rowsToWrite({ a: 1 }, [{ a: 2 }])).toThrow('Rows: fill in Columns or Rows, not both');
  expect(() => rowsToWrite(undefined, [{ a: 1 }, 3])).toThrow(
    'Rows (row 2): must be an object of column → value, not a number',
  );
  expect(() => rowsToWrite(undefined, [{ 'a; DROP': 1 }])).toThrow(/^Rows \(row 1\): "a; DROP" is not a plain name/);
  expect(() => rowsToWrite(undefined, [])).toThrow('Rows: is an empty list: there is nothing to write');
});

test('the specs refuse hostile literal names in the editor and say what an operation still needs', () => {
  for (const spec of [postgresSpec, mysqlSpec, sqliteSpec]) {
    const base =
      spec.type === 'sqlite' ? { file: 'hr.db' } : { credential: 'cred_00000000-0000-4000-8000-000000000001' };
    const issues = checkParams(spec, {
      ...base,
      table: 'employees; DROP TABLE employees',
      columns: 'id, name)',
      values: { 'x"': 1 },
      where: [{ column: 'a b c', operator: '=', value: '{{ $input.x }}' }],
    });
    expect(issues.map((i) => i.path.join('.'))).toEqual(['table', 'columns', 'values.x"']);
    // An expression is checked once resolved (at run time), not in the editor.
    expect(checkParams(spec, { ...base, table: '{{ $input.table }}' })).toEqual([]);
  }
  expect(checkParams(sqliteSpec, { file: '../other/hr.db' }).map((i) => i.message)).toEqual([
    expect.stringMatching(/must stay inside the workspace's SQLite folder/),
  ]);
  expect(checkOperation({ operation: 'delete', table: 'employees', where: [] })).toEqual([
    {
      path: ['where'],
      message: 'Param "where": delete needs at least one condition, so it cannot change every row by accident',
      incomplete: true,
    },
  ]);
  expect(checkOperation({ operation: 'upsert', table: 't', values: { a: 1 } }).map((p) => p.path[0])).toEqual([
    'conflictColumns',
  ]);
  expect(checkOperation({ operation: 'query' }).map((p) => p.path[0])).toEqual(['sql']);
});
