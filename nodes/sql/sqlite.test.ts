// Where the SQLite node's files live: inside the run's workspace folder only. Paths that leave it (.., absolute, a
// link pointing out) and statements that open other files (ATTACH, VACUUM INTO) are refused naming the field; two
// workspaces naming the same file get two files.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../../db/connection';
import { testDatabaseUri } from '../../test/stack';
import { sqliteRoot } from './sqlite-files';
import { openTarget, type SqlTarget } from './targets-test-stack';

let a: SqlTarget;
let b: SqlTarget;
beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_sql_sqlite'));
  await mongoose.connection.db!.dropDatabase();
  a = await openTarget('sqlite', 'a', 'ws_sqlite_a');
  b = await openTarget('sqlite', 'b', 'ws_sqlite_b');
  await a.reset();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await disconnectDb();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (err: { message: string; code?: string }) => err,
  );

test('files outside the workspace folder are refused naming the field', async () => {
  const outside = path.join(sqliteRoot(), 'elsewhere');
  mkdirSync(outside, { recursive: true });
  symlinkSync(outside, path.join(sqliteRoot(), 'ws_sqlite_a', 'link'));
  const cases: Array<[string, RegExp]> = [
    ['../ws_sqlite_b/hr.db', /Database file: "..\/ws_sqlite_b\/hr.db" leaves the workspace's SQLite folder/],
    ['/etc/passwd', /Database file: "\/etc\/passwd" is absolute/],
    ['link/hr.db', /Database file: "link\/hr.db" leads out of the workspace's SQLite folder through a link/],
    [':memory:', /Database file: ":memory:" is not a file name/],
    ['missing.db', /Database file: "missing.db" does not exist yet/],
  ];
  for (const [file, message] of cases) {
    for (const operation of ['select', 'insert'] as const) {
      if (operation === 'insert' && file === 'missing.db') continue; // an insert creates it
      const err = await failure(a.run(a.context(), { file, operation, values: { email: 'x@acme.test' } }));
      expect([err.code, err.message]).toEqual(['param-invalid', expect.stringMatching(message)]);
    }
  }
  expect(existsSync(path.join(outside, 'hr.db'))).toBe(false);
});

test('statements that open other files are refused; the words inside strings are data', async () => {
  for (const sql of ["ATTACH DATABASE '/tmp/x.db' AS x", "VACUUM INTO '/tmp/copy.db'", '/* x */ attach ? as y']) {
    const err = await failure(a.run(a.context(), { operation: 'query', sql, queryParams: [{ value: '/tmp/y.db' }] }));
    expect(err.message).toMatch(
      /Query: (ATTACH|VACUUM INTO) is not allowed: a SQLite node works on its own database file only/,
    );
  }
  const words = await a.run(a.context(), {
    operation: 'query',
    sql: 'SELECT \'attach\' AS "vacuum into", ? AS v -- attach',
    queryParams: [{ value: 'ATTACH' }],
    readOnly: true,
  });
  expect(words.rows).toEqual([{ 'vacuum into': 'attach', v: 'ATTACH' }]);
});

test('two workspaces naming the same file get two files', async () => {
  await a.run(a.context(), { operation: 'insert', values: { email: 'a@acme.test' } });
  await b.run(b.context(), {
    operation: 'query',
    sql: 'CREATE TABLE employees (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL)',
  });
  await b.run(b.context(), { operation: 'insert', values: { email: 'b@acme.test' } });
  expect(await a.sql('SELECT email FROM employees')).toEqual([{ email: 'a@acme.test' }]);
  expect(await b.sql('SELECT email FROM employees')).toEqual([{ email: 'b@acme.test' }]);
});
