// The SQL nodes in real runs (Temporal, worker processes, the store, the vault): rows flow from the trigger through
// PostgreSQL, MySQL and SQLite steps; a table name an expression made hostile fails the step naming the param; a
// refused login fails without the password anywhere in the step. Then, for each database, the worker is SIGKILLed
// while a write step's statement runs: Temporal retries the step on a new worker and the row is written once.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createCredential } from '../../db/credentials';
import { listSteps } from '../../db/steps';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { waitForRun } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import { sqliteRoot } from './sqlite-files';
import { openTarget, type SqlTarget } from './targets-test-stack';

const PASSWORD = `pw-canary-${randomUUID()}`;
const workspaceId = `ws_sqlrun_${process.pid}`;
let harness: RunHarness;
let workflowId: string;
const targets = {} as Record<SqlTarget['name'], SqlTarget>;
const credentials = {} as Record<'postgres' | 'mysql' | 'refused', string>;

beforeAll(async () => {
  harness = await startRunHarness('sql_nodes');
  const scope = systemScope(workspaceId);
  workflowId = (await createWorkflow(scope, { name: 'HR database', ownerId: 'u-hr' })).id;
  for (const kind of ['postgres', 'mysql', 'sqlite'] as const)
    targets[kind] = await openTarget(kind, `run_${kind}`, workspaceId);
  for (const kind of ['postgres', 'mysql'] as const) {
    const made = await createCredential(scope, { name: `HR ${kind}`, type: kind, values: targets[kind].credential! });
    credentials[kind] = made.id;
  }
  const refused = await createCredential(scope, {
    name: 'Wrong password',
    type: 'mysql',
    values: { ...targets.mysql.credential!, password: PASSWORD },
  });
  credentials.refused = refused.id;
}, 180_000);
beforeEach(() => Promise.all(Object.values(targets).map((t) => t.reset())));
afterEach(() => harness.stopWorkers());
afterAll(async () => {
  await harness?.close();
  await Promise.all(Object.values(targets).map((t) => t.close()));
});

const trigger = { id: 'trigger', type: 'manual-trigger' };

test('a hire flows through PostgreSQL, SQLite and MySQL steps, with values from expressions', async () => {
  await harness.startWorker({ queues: ['default'] });
  const plan = compileOrThrow(
    workflowDoc(
      [
        trigger,
        {
          id: 'pg',
          type: 'postgres',
          params: {
            credential: credentials.postgres,
            operation: 'insert',
            table: 'employees',
            values: { email: '{{ $input.email }}', name: '{{ $input.name }}', salary: '{{ $input.salary }}' },
          },
        },
        {
          id: 'lite',
          type: 'sqlite',
          params: { file: 'hr.db', operation: 'insert', table: 'employees', rows: '{{ $node("pg").rows }}' },
        },
        {
          id: 'my',
          type: 'mysql',
          params: {
            credential: credentials.mysql,
            operation: 'upsert',
            table: 'employees',
            values: { email: '{{ $node("lite").rows[0].email }}', name: '{{ $node("lite").rows[0].name }}' },
            conflictColumns: 'email',
          },
        },
      ],
      [
        ['trigger', 'pg'],
        ['pg', 'lite'],
        ['lite', 'my'],
      ],
    ),
    workflowId,
  );
  const { result, steps } = await harness.run(plan, { email: "o'brien@acme.test", name: "Ada O'Brien", salary: 123.5 });
  expect(result.status).toBe('succeeded');
  const output = (id: string) =>
    steps.find((s) => s.nodeId === id)!.output as { rows: unknown[]; affectedRows: number };
  expect(output('pg')).toMatchObject({ affectedRows: 1, rows: [{ email: "o'brien@acme.test", salary: '123.5' }] });
  expect(output('lite')).toMatchObject({
    affectedRows: 1,
    rows: [{ email: "o'brien@acme.test", name: "Ada O'Brien" }],
  });
  expect(output('my')).toMatchObject({ affectedRows: 1, rows: [] });
  for (const kind of ['postgres', 'mysql', 'sqlite'] as const) {
    expect(await targets[kind].sql('SELECT email, name FROM employees')).toEqual([
      { email: "o'brien@acme.test", name: "Ada O'Brien" },
    ]);
  }
  expect(existsSync(path.join(sqliteRoot(), workspaceId, 'hr.db'))).toBe(true);
}, 120_000);

test('a hostile table from an expression fails naming the param; a refused login names the node, never the password', async () => {
  await harness.startWorker({ queues: ['default'] });
  const plan = compileOrThrow(
    workflowDoc(
      [
        trigger,
        {
          id: 'Lookup',
          type: 'postgres',
          params: { credential: credentials.postgres, operation: 'select', table: '{{ $input.table }}' },
        },
      ],
      [['trigger', 'Lookup']],
    ),
    workflowId,
  );
  const hostile = await harness.run(plan, { table: 'employees; DROP TABLE employees' });
  expect(hostile.result.status).toBe('failed');
  const step = hostile.steps.find((s) => s.nodeId === 'Lookup')!;
  expect(step.error).toMatchObject({ code: 'param-invalid' });
  expect(step.error!.message).toMatch(/^Param "table": "employees; DROP TABLE employees" is not a plain name/);
  expect(await targets.postgres.sql('SELECT COUNT(*)::int AS n FROM employees')).toEqual([{ n: 0 }]);

  const refused = compileOrThrow(
    workflowDoc(
      [trigger, { id: 'Directory', type: 'mysql', params: { credential: credentials.refused, table: 'employees' } }],
      [['trigger', 'Directory']],
    ),
    workflowId,
  );
  const login = await harness.run(refused, {});
  const failed = login.steps.find((s) => s.nodeId === 'Directory')!;
  expect(failed.error).toMatchObject({ code: 'sql-login' });
  expect(failed.error!.message).toMatch(/^MySQL node "Directory": the database refused the connection: Access denied/);
  expect(JSON.stringify(login)).not.toContain(PASSWORD);
}, 120_000);

/** Whether the slow INSERT is running in the database now (uncommitted: nothing is visible to others yet). */
async function statementRunning(kind: SqlTarget['name']): Promise<boolean> {
  const db = targets[kind];
  if (kind === 'postgres')
    return (
      (
        await db.sql<{ n: number }>(
          "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'INSERT INTO employees%'",
        )
      )[0].n > 0
    );
  if (kind === 'mysql')
    return (
      (
        await db.sql<{ n: number }>(
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'INSERT INTO employees%'",
        )
      )[0].n > 0
    );
  // SQLite's rollback journal exists while a write transaction has changed a page (its baton_effects mark).
  return existsSync(path.join(sqliteRoot(), workspaceId, 'hr.db-journal'));
}

const SLOW_INSERT = {
  postgres: 'INSERT INTO employees (email) SELECT $1 FROM pg_sleep(3)',
  mysql: 'INSERT INTO employees (email) SELECT ? FROM (SELECT SLEEP(3)) AS slow',
  sqlite:
    'INSERT INTO employees (email) SELECT ? FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c ' +
    'WHERE x < 3000000) SELECT count(*) FROM c)',
};

test.each(['postgres', 'mysql', 'sqlite'] as const)(
  'SIGKILL of the worker during a %s write step: the step is retried on a new worker and writes one row',
  async (kind) => {
    const first = await harness.startWorker({ queues: ['default'] });
    const connection = kind === 'sqlite' ? { file: 'hr.db' } : { credential: credentials[kind] };
    const plan = compileOrThrow(
      workflowDoc(
        [
          trigger,
          {
            id: 'Record',
            type: kind,
            params: {
              ...connection,
              operation: 'query',
              sql: SLOW_INSERT[kind],
              queryParams: [{ value: '{{ $input.email }}' }],
            },
            policy: { timeoutMs: 8000, retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 } },
          },
        ],
        [['trigger', 'Record']],
      ),
      workflowId,
    );
    const runId = await harness.start(plan, { email: `killed-${kind}@acme.test` });
    const until = Date.now() + 30_000;
    while (!(await statementRunning(kind))) {
      if (Date.now() > until) throw new Error(`the ${kind} statement never started`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill('SIGKILL');
    expect((await first.stopped).signal).toBe('SIGKILL');

    await harness.startWorker({ queues: ['default'] });
    const result = await waitForRun(runId, 90_000);
    expect(result.status).toBe('succeeded');
    const step = (await listSteps(runId)).find((s) => s.nodeId === 'Record')!;
    expect(step.attempt).toBeGreaterThanOrEqual(2);
    expect(step.output).toMatchObject({ affectedRows: 1 });
    expect(await targets[kind].sql('SELECT email FROM employees')).toEqual([{ email: `killed-${kind}@acme.test` }]);
    const marks = await targets[kind].sql<{ step_key: string }>('SELECT step_key FROM baton_effects');
    expect(marks.filter((m) => m.step_key.startsWith(runId))).toEqual([{ step_key: `${runId}:Record:0` }]);
  },
  150_000,
);
