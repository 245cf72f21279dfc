// The Data table node in real runs (Temporal, a worker process, the store): insert, find, update, upsert and delete
// chained by expressions; a wrong value or another workspace's table fails the run naming the node, field and column;
// and a worker SIGKILLed in the middle of a 3,000-row insert leaves each row exactly once after the retry.
import type { BlobRef } from '../../contracts/blob-ref';
import { readBlob } from '../../db/blobs';
import { listSteps } from '../../db/steps';
import { findRows } from '../../db/data-table-rows';
import { createDataTable } from '../../db/data-tables';
import { RowModel } from '../../db/data-table-docs';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { waitForRun } from '../../temporal/client';
import { compileOrThrow, startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../../test/run-harness';

const WS = 'ws_data_table_flow';
const scope = systemScope(WS);
let harness: RunHarness;
let workflowId = '';

beforeAll(async () => {
  harness = await startRunHarness('data_table_flow');
  await harness.startWorker({ queues: ['default'] });
  workflowId = (await createWorkflow(scope, { name: 'Onboarding checklist', ownerId: 'owner' })).id;
}, 180_000);
afterAll(async () => {
  await harness?.close();
});

let counter = 0;
const hiresTable = () =>
  createDataTable(scope, {
    name: `Hires ${++counter}`,
    columns: [
      { name: 'Email', type: 'string', required: true, unique: true },
      { name: 'Name', type: 'string' },
      { name: 'Start', type: 'date' },
      { name: 'Laptop issued', type: 'boolean' },
      { name: 'Desk', type: 'string' },
      { name: 'N', type: 'number' },
    ],
  });

const tableNode = (name: string, params: Record<string, unknown>, policy?: DocNode['policy']): DocNode => ({
  id: name.replace(/\W/g, '_'),
  name,
  type: 'data-table',
  params,
  ...(policy ? { policy } : {}),
});

function chain(nodes: DocNode[]) {
  const all = [{ id: 'trigger', type: 'manual-trigger' }, ...nodes];
  const edges = all.slice(1).map((n, i) => [all[i].id, n.id] as [string, string]);
  return compileOrThrow(workflowDoc(all, edges), workflowId);
}

type Out = { rows: Array<Record<string, unknown>>; rowCount: number; inserted?: number; updated?: number };

it('inserts, finds, updates, upserts and deletes rows, each step’s output naming the rows it touched', async () => {
  const table = await hiresTable();
  const byEmail = [{ column: 'Email', operator: 'eq', value: '{{ $trigger.email }}' }];
  const plan = chain([
    tableNode('Insert', {
      table: table.id,
      operation: 'insert',
      values: { Email: '{{ $input.email }}', Name: '{{ $input.name }}', Start: '{{ $input.start }}' },
    }),
    tableNode('Find', { table: table.id, operation: 'find', conditions: byEmail }),
    tableNode('Issue laptop', {
      table: table.id,
      operation: 'update',
      conditions: byEmail,
      values: { 'Laptop issued': '{{ $node("Find").rowCount = 1 }}' },
    }),
    tableNode('Desks', {
      table: table.id,
      operation: 'upsert',
      keyColumns: 'Email',
      rows: '{{ [{ "Email": $trigger.email, "Desk": "4B" }, { "Email": "temp@acme.test", "Name": "Temp" }] }}',
    }),
    tableNode('Remove temp', {
      table: table.id,
      operation: 'delete',
      conditions: [{ column: 'Email', operator: 'eq', value: 'temp@acme.test' }],
    }),
    tableNode('List', { table: table.id, operation: 'find', sortBy: 'Name', sortDirection: 'desc', limit: 10 }),
  ]);
  const { result, steps } = await harness.run(plan, { email: 'ada@acme.test', name: 'Ada', start: '2025-03-03' });
  expect(result.status).toBe('succeeded');
  const out = (name: string) => steps.find((s) => s.nodeName === name)!.output as Out;

  const [inserted] = out('Insert').rows;
  expect(inserted).toMatchObject({ Email: 'ada@acme.test', Name: 'Ada', Start: '2025-03-03T00:00:00.000Z' });
  expect(inserted.id).toMatch(/^row_[0-9a-f]{32}$/);
  expect(out('Find').rows.map((r) => r.id)).toEqual([inserted.id]);
  expect(out('Issue laptop').rows[0]['Laptop issued']).toBe(true);
  expect([out('Desks').inserted, out('Desks').updated]).toEqual([1, 1]);
  expect(out('Remove temp').rows.map((r) => r.Email)).toEqual(['temp@acme.test']);
  expect(out('List')).toMatchObject({ rowCount: 1, truncated: false });
  expect(out('List').rows[0]).toMatchObject({ Email: 'ada@acme.test', Desk: '4B', 'Laptop issued': true });

  const stored = await findRows(scope, table.id, { conditions: [], match: 'all' });
  expect(stored.rows.map((r) => r.values)).toEqual([
    {
      Email: 'ada@acme.test',
      Name: 'Ada',
      Start: '2025-03-03T00:00:00.000Z',
      'Laptop issued': true,
      Desk: '4B',
      N: null,
    },
  ]);
});

it('fails naming the node, its field, the table and the column; another workspace’s table is missing', async () => {
  const table = await hiresTable();
  const wrongType = await harness.run(
    chain([
      tableNode('Insert', { table: table.id, operation: 'insert', values: { Email: 'x@acme.test', N: 'forty' } }),
    ]),
  );
  expect(wrongType.result.status).toBe('failed');
  expect(wrongType.result.error?.message).toBe(
    `Node "Insert" (Insert) failed: Values (table "${table.name}"): Column "N" (number): "forty" is not a number.`,
  );
  const badCondition = await harness.run(
    chain([
      tableNode('Find', {
        table: table.id,
        operation: 'find',
        conditions: [{ column: 'Laptop issued', operator: 'gt', value: '1' }],
      }),
    ]),
  );
  expect(badCondition.result.error?.message).toBe(
    `Node "Find" (Find) failed: Conditions (table "${table.name}"): Condition 1: Column "Laptop issued" (yes / no) is greater than: ordering applies to text, number and date columns only.`,
  );
  const elsewhere = await createDataTable(systemScope('ws_someone_else'), { name: 'Payroll' });
  const foreign = await harness.run(chain([tableNode('Find', { table: elsewhere.id, operation: 'find' })]));
  expect(foreign.result.error?.message).toBe(
    `Node "Find" (Find) failed: Table: there is no data table ${elsewhere.id} in this workspace (it was deleted, or the workflow was copied from another workspace); pick one`,
  );
  const step = foreign.steps.find((s) => s.nodeName === 'Find')!;
  expect(step.attempt).toBe(1); // refused at once, not retried
});

it('SIGKILL in the middle of an insert: the retried step adds only the rows still missing', async () => {
  const table = await hiresTable();
  await harness.stopWorkers();
  const first = await harness.startWorker({ queues: ['default'] });
  const plan = chain([
    tableNode(
      'Bulk insert',
      {
        table: table.id,
        operation: 'insert',
        rows: '{{ $map([1..3000], function($i) { { "Email": "hire" & $i & "@acme.test", "N": $i } }) }}',
      },
      { timeoutMs: 15_000, retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 } },
    ),
  ]);
  const runId = await harness.start(plan);
  const until = Date.now() + 60_000;
  while ((await RowModel.countDocuments({ tableId: table.id })) === 0) {
    if (Date.now() > until) throw new Error('the insert never started');
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');
  const atKill = await RowModel.countDocuments({ tableId: table.id });

  await harness.startWorker({ queues: ['default'] });
  const result = await waitForRun(runId, 90_000);
  expect(result.status).toBe('succeeded');
  const step = (await listSteps(runId)).find((s) => s.nodeName === 'Bulk insert')!;
  expect(step.attempt).toBeGreaterThanOrEqual(2);
  // 3,000 rows are past the inline limit: the output is stored as a blob.
  const output = (await readBlob(step.output as BlobRef)) as Out;
  expect(output.rowCount).toBe(3000);
  expect(new Set(output.rows.map((r) => r.id)).size).toBe(3000);

  const stored = await RowModel.collection.find({ tableId: table.id }).toArray();
  const numbers = stored.map((r) =>
    Object.values(r.values as Record<string, unknown>).find((v) => typeof v === 'number'),
  );
  expect(stored).toHaveLength(3000);
  expect(new Set(numbers).size).toBe(3000);
  expect(atKill).toBeGreaterThan(0);
  expect((await findRows(scope, table.id, { conditions: [], match: 'all', limit: 1 })).total).toBe(3000);
}, 180_000);
