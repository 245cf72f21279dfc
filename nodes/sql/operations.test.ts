// The PostgreSQL, MySQL and SQLite nodes against real databases (PostgreSQL and MariaDB from the test command, a
// SQLite file): every operation, values that try SQL injection and stay data, hostile names refused naming the field,
// the database's own error message, the row limit, the statement timeout, and a retried write applied once.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { testDatabaseUri } from '../../test/stack';
import { openTarget, type SqlTarget } from './targets-test-stack';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_sql_operations')); // the SQLite node reads its workflow's workspace
  await mongoose.connection.db!.dropDatabase();
});
afterAll(() => disconnectDb());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string; retryable?: boolean }) => err,
  );

const HOSTILE = [
  "Robert'); DROP TABLE employees;--",
  '" OR "1"="1',
  "' OR '1'='1",
  "\\'; DELETE FROM employees; --",
  '$1; SELECT pg_sleep(10)',
  '`; DROP DATABASE x; `',
  'null\u0000byte',
];

describe.each(['postgres', 'mysql', 'sqlite'] as const)('%s', (kind) => {
  let db: SqlTarget;
  beforeAll(async () => {
    db = await openTarget(kind, `ops_${kind}`);
  }, 120_000);
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  const emails = async () =>
    (await db.sql<{ email: string }>('SELECT email FROM employees ORDER BY id')).map((r) => r.email);

  test('insert, select (columns, conditions, order), update, upsert and delete', async () => {
    const inserted = await db.run(db.context(), {
      operation: 'insert',
      rows: [
        { email: 'ada@acme.test', name: 'Ada', salary: 120 },
        { email: 'grace@acme.test', name: 'Grace', salary: 110 },
        { email: 'alan@acme.test', name: 'Alan' },
      ],
    });
    expect(inserted).toMatchObject({ affectedRows: 3, truncated: false });
    if (db.returnsRows)
      expect(inserted.rows.map((r) => r.email)).toEqual(['ada@acme.test', 'grace@acme.test', 'alan@acme.test']);
    else expect(inserted.insertId).toEqual(expect.any(Number));

    const selected = await db.run(db.context(), {
      operation: 'select',
      columns: 'name, email',
      where: [
        { column: 'email', operator: 'like', value: '%@acme.test' },
        { column: 'name', operator: '!=', value: 'Alan' },
      ],
      orderBy: [{ column: 'name', direction: 'desc' }],
    });
    expect(selected).toEqual({
      rows: [
        { name: 'Grace', email: 'grace@acme.test' },
        { name: 'Ada', email: 'ada@acme.test' },
      ],
      rowCount: 2,
      truncated: false,
    });
    const anyOf = await db.run(db.context(), {
      operation: 'select',
      columns: 'email',
      where: [
        { column: 'email', operator: 'in', value: ['alan@acme.test', 'nobody@acme.test'] },
        { column: 'salary', operator: '>=', value: 115 },
      ],
      combine: 'any',
      orderBy: [{ column: 'email', direction: 'asc' }],
    });
    expect(anyOf.rows).toEqual([{ email: 'ada@acme.test' }, { email: 'alan@acme.test' }]);
    const noSalary = await db.run(db.context(), {
      operation: 'select',
      columns: 'email',
      where: [{ column: 'salary', operator: '=', value: null }],
    });
    expect(noSalary.rows).toEqual([{ email: 'alan@acme.test' }]);

    const updated = await db.run(db.context(), {
      operation: 'update',
      values: { name: 'Alan Turing', active: true },
      where: [{ column: 'email', operator: '=', value: 'alan@acme.test' }],
    });
    expect(updated.affectedRows).toBe(1);
    if (db.returnsRows) expect(updated.rows).toEqual([expect.objectContaining({ name: 'Alan Turing' })]);

    const upserted = await db.run(db.context(), {
      operation: 'upsert',
      rows: [
        { email: 'ada@acme.test', name: 'Ada Lovelace' },
        { email: 'linus@acme.test', name: 'Linus' },
      ],
      conflictColumns: 'email',
    });
    expect(upserted.affectedRows).toBeGreaterThanOrEqual(2); // MySQL counts an updated row twice
    expect(await db.sql('SELECT email, name FROM employees ORDER BY email')).toEqual([
      { email: 'ada@acme.test', name: 'Ada Lovelace' },
      { email: 'alan@acme.test', name: 'Alan Turing' },
      { email: 'grace@acme.test', name: 'Grace' },
      { email: 'linus@acme.test', name: 'Linus' },
    ]);

    const deleted = await db.run(db.context(), {
      operation: 'delete',
      where: [{ column: 'email', operator: 'in', value: 'grace@acme.test, linus@acme.test' }],
    });
    expect(deleted.affectedRows).toBe(2);
    expect(await emails()).toEqual(['ada@acme.test', 'alan@acme.test']);
  });

  test('a raw query binds its parameters; a read-only one cannot write', async () => {
    await db.run(db.context(), {
      operation: 'query',
      sql: `INSERT INTO employees (email, name) VALUES (${db.param(1)}, ${db.param(2)})`,
      queryParams: [{ value: 'ada@acme.test' }, { value: 'Ada' }],
    });
    const read = await db.run(db.context(), {
      operation: 'query',
      sql: `SELECT name FROM employees WHERE email = ${db.param(1)}`,
      queryParams: [{ value: 'ada@acme.test' }],
      readOnly: true,
    });
    expect(read.rows).toEqual([{ name: 'Ada' }]);
    const err = await failure(
      db.run(db.context(), {
        operation: 'query',
        sql: `DELETE FROM employees WHERE email = ${db.param(1)}`,
        queryParams: [{ value: 'ada@acme.test' }],
        readOnly: true,
      }),
    );
    expect(err).toMatchObject({ code: 'sql', retryable: false });
    expect(err.message).toMatch(/read.only|readonly/i);
    expect(await emails()).toEqual(['ada@acme.test']);
  });

  test('SQL injection attempts in values, conditions and query parameters are stored and matched as data', async () => {
    const rows = HOSTILE.map((name, i) => ({ email: `h${i}@acme.test`, name: name.replace('\u0000', '') }));
    await db.run(db.context(), { operation: 'insert', rows });
    for (const row of rows) {
      const found = await db.run(db.context(), {
        operation: 'select',
        columns: 'email, name',
        where: [{ column: 'name', operator: '=', value: row.name }],
      });
      expect(found.rows).toEqual([row]);
      const raw = await db.run(db.context(), {
        operation: 'query',
        sql: `SELECT email FROM employees WHERE name = ${db.param(1)}`,
        queryParams: [{ value: row.name }],
        readOnly: true,
      });
      expect(raw.rows).toEqual([{ email: row.email }]);
    }
    await db.run(db.context(), {
      operation: 'update',
      values: { name: "x'; DROP TABLE employees; --" },
      where: [{ column: 'email', operator: '=', value: "h0@acme.test' OR '1'='1" }],
    });
    expect((await db.sql<{ name: string }>('SELECT name FROM employees ORDER BY id')).map((r) => r.name)).toEqual(
      rows.map((r) => r.name),
    );
  });

  test('hostile table and column names are refused naming the field, before anything runs', async () => {
    const cases: Array<[Parameters<SqlTarget['run']>[1], RegExp]> = [
      [
        { table: 'employees; DROP TABLE employees' },
        /Table: "employees; DROP TABLE employees" is not a plain name: .*; fix the Table parameter$/,
      ],
      [{ table: 'employees"--' }, /Table: .* is not a plain name/],
      [{ table: 'a.b.c' }, /Table: "a.b.c" has more than one dot/],
      [{ columns: 'email, name FROM employees; --' }, /Columns to return: .* is not a plain name/],
      [
        { where: [{ column: 'email = email OR 1', operator: '=', value: 1 }] },
        /Where \(condition 1\): .* is not a plain name: .*; fix the Where parameter$/,
      ],
      [{ orderBy: [{ column: 'id; DROP', direction: 'asc' }] }, /Order by \(sort column 1\): .* is not a plain name/],
      [{ operation: 'insert', values: { 'name`) VALUES (1); --': 'x' } }, /Columns: .* is not a plain name/],
      [
        { operation: 'insert', rows: [{ email: 'a@acme.test' }, { 'email"': 'b' }] },
        /Rows \(row 2\): .* is not a plain name: .*; fix the Rows parameter$/,
      ],
      [
        { operation: 'upsert', values: { email: 'a@acme.test' }, conflictColumns: 'email)' },
        /Conflict columns: .* is not a plain name/,
      ],
      [{ operation: 'insert', rows: 'not rows' }, /Rows \(row 1\): must be an object of column → value, not a string/],
      [{ operation: 'update', values: { name: 'x' }, where: [] }, /Where: an update needs at least one condition/],
      [{ operation: 'delete', where: [] }, /Where: a delete needs at least one condition/],
    ];
    for (const [params, message] of cases) {
      const err = await failure(db.run(db.context(), params));
      expect([err.message, err.code, err.retryable]).toEqual([expect.stringMatching(message), 'param-invalid', false]);
      expect(err.message).toContain(`${db.title} node "Employees"`);
    }
    expect(await db.sql('SELECT COUNT(*) AS n FROM employees')).toEqual([{ n: db.name === 'postgres' ? '0' : 0 }]);
  });

  test('an SQL error names the node and quotes the database', async () => {
    await db.run(db.context(), { operation: 'insert', values: { email: 'ada@acme.test' } });
    const duplicate = await failure(db.run(db.context(), { operation: 'insert', values: { email: 'ada@acme.test' } }));
    expect(duplicate).toMatchObject({ code: 'sql', retryable: false });
    expect(duplicate.message).toMatch(
      new RegExp(`^${db.title} node "Employees": the insert failed: ${db.title} said: .*(duplicate|unique)`, 'i'),
    );
    const missing = await failure(db.run(db.context(), { operation: 'select', table: 'nope' }));
    expect(missing.message).toMatch(
      /the select failed: .*(nope" does not exist|nope' doesn't exist|no such table: nope)/,
    );
    const syntax = await failure(db.run(db.context(), { operation: 'query', sql: 'SELEC 1', readOnly: true }));
    expect(syntax.message).toMatch(/the query failed: .*syntax/i);
  });

  test('the row limit cuts the output and says so', async () => {
    await db.run(db.context(), {
      operation: 'insert',
      rows: Array.from({ length: 7 }, (_, i) => ({ email: `p${i}@acme.test` })),
    });
    const page = await db.run(db.context(), {
      operation: 'select',
      columns: 'email',
      orderBy: [{ column: 'id', direction: 'asc' }],
      maxRows: 3,
    });
    expect(page).toEqual({
      rows: [{ email: 'p0@acme.test' }, { email: 'p1@acme.test' }, { email: 'p2@acme.test' }],
      rowCount: 3,
      truncated: true,
    });
    const raw = await db.run(db.context(), {
      operation: 'query',
      sql: 'SELECT email FROM employees',
      readOnly: true,
      maxRows: 5,
    });
    expect([raw.rowCount, raw.truncated]).toEqual([5, true]);
    const all = await db.run(db.context(), { operation: 'select', maxRows: 7 });
    expect([all.rowCount, all.truncated]).toEqual([7, false]);
  });

  test('a statement past its timeout is cancelled, its write rolled back, and the step says so', async () => {
    const key = `run-slow-${kind}:sql:0`;
    const err = await failure(
      db.run(db.context(key), {
        operation: 'query',
        sql: `INSERT INTO employees (email) SELECT 'slow@acme.test' FROM (${db.sleep(20)}) AS slow`,
        timeoutSeconds: 1,
      }),
    );
    expect(err).toMatchObject({ code: 'sql-timeout', retryable: false });
    expect(err.message).toMatch(
      new RegExp(`^${db.title} node "Employees": the query failed: the statement ran past its timeout`),
    );
    expect(await emails()).toEqual([]);
    expect(await db.sql(`SELECT step_key FROM baton_effects WHERE step_key = ${db.param(1)}`, [key])).toEqual([]);
  });

  test('a retried write step applies once and answers with the first output, even when attempts overlap', async () => {
    const key = `run-retry-${kind}:insert:0`;
    const params = { operation: 'insert' as const, values: { email: 'once@acme.test', name: 'Once' } };
    const first = await db.run(db.context(key), params);
    const again = await db.run(db.context(key, { attempt: 2 }), params);
    expect(again).toEqual(first);
    expect(await emails()).toEqual(['once@acme.test']);

    const overlapKey = `run-overlap-${kind}:insert:0`;
    const overlapping = { operation: 'insert' as const, values: { email: 'twice@acme.test' } };
    const outputs = await Promise.all(
      [1, 2, 3].map((attempt) => db.run(db.context(overlapKey, { attempt }), overlapping)),
    );
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
    expect(await emails()).toEqual(['once@acme.test', 'twice@acme.test']);
    expect(
      (await db.sql<{ step_key: string }>('SELECT step_key FROM baton_effects ORDER BY step_key')).map(
        (m) => m.step_key,
      ),
    ).toEqual(expect.arrayContaining([key, overlapKey]));
  });
});
