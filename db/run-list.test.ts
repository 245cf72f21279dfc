// The runs page's query over 10,000 seeded runs on the real FerretDB: every filter, tag search and run-id search
// returns exactly the runs an in-memory reading of the same records returns, in the same order, and paging by
// cursor neither skips nor repeats a run.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import { listRunPage, type RunListFilter } from './run-list';
import { listRuns } from './runs';
import type { RunDoc } from './runs';
import { systemScope } from './workspaces';
import { seededRun, seedRuns } from '../test/seed-runs';
import { testDatabaseUri } from '../test/stack';

const COUNT = 10_000;
const WORKSPACES = ['ws_list_a', 'ws_list_b'];
const newest = new Date(Date.now() - 60_000);
const seeded: RunDoc[] = Array.from({ length: COUNT }, (_, k) => seededRun(k, { newest, workspaces: WORKSPACES }));
const scopeA = systemScope('ws_list_a');

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_run_list'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  await seedRuns({ count: COUNT, newest, workspaces: WORKSPACES });
}, 240_000);

afterAll(async () => {
  await disconnectDb();
});

/** What the filter should return, newest first (start time, then run id, descending). */
function expected(f: RunListFilter, workspaceId = 'ws_list_a'): string[] {
  return seeded
    .filter(
      (d) =>
        d.workspaceId === workspaceId &&
        (!f.workflowId || d.workflowId === f.workflowId) &&
        (!f.mode || d.mode === f.mode) &&
        (!f.startedBy || d.startedBy === f.startedBy) &&
        (!f.tag || (d.tags ?? []).includes(`${f.tag.key}=${f.tag.value}`)) &&
        (!f.runId || d._id === f.runId) &&
        (!f.from || d.startedAt >= f.from) &&
        (!f.to || d.startedAt < f.to) &&
        (!f.status ||
          (f.status === 'awaiting-approval'
            ? d.status === 'running' && d.awaiting === 'approval'
            : d.status === f.status && !(f.status === 'running' && d.awaiting))),
    )
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a._id < b._id ? 1 : -1))
    .map((d) => d._id);
}

/** Every page of the filter, following cursors. */
async function allPages(f: RunListFilter, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listRunPage(scopeA, f, { cursor, limit });
    expect(page.runs.length).toBeLessThanOrEqual(limit);
    ids.push(...page.runs.map((r) => r.runId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 2_000);
  return { ids, pages };
}

test('the unfiltered list pages through all of a workspace’s runs, newest first, none skipped or repeated', async () => {
  const want = expected({});
  expect(want.length).toBe(9_000);
  const { ids } = await allPages({}, 200);
  expect(ids).toEqual(want);
}, 120_000);

test.each<[string, RunListFilter]>([
  ['workflow', { workflowId: 'wf_3' }],
  ['status failed', { status: 'failed' }],
  ['status running (not waiting)', { status: 'running' }],
  ['waiting for approval', { status: 'awaiting-approval' }],
  ['trigger kind', { mode: 'schedule' }],
  ['started by', { startedBy: 'user_1' }],
  ['workflow and status', { workflowId: 'wf_2', status: 'succeeded' }],
  ['tag employeeId', { tag: { key: 'employeeId', value: '42' } }],
  ['tag dept (common)', { tag: { key: 'dept', value: 'hr' } }],
  ['tag with workflow', { tag: { key: 'dept', value: 'it' }, workflowId: 'wf_1' }],
  ['tag that no run has', { tag: { key: 'employeeId', value: 'nobody' } }],
  ['date range', { from: seeded[3_000].startedAt, to: seeded[1_200].startedAt }],
  ['date range and status', { from: seeded[8_000].startedAt, to: seeded[100].startedAt, status: 'cancelled' }],
  ['run id', { runId: seeded[4_242]._id }],
  ['run id of the other workspace', { runId: seeded[9]._id }],
])(
  'filter: %s',
  async (_name, filter) => {
    const { ids } = await allPages(filter, 50);
    expect(ids).toEqual(expected(filter));
  },
  120_000,
);

test('a page starts after its cursor and a bad cursor is refused', async () => {
  const first = await listRunPage(scopeA, { status: 'failed' }, { limit: 20 });
  const second = await listRunPage(scopeA, { status: 'failed' }, { limit: 20, cursor: first.nextCursor });
  expect([...first.runs, ...second.runs].map((r) => r.runId)).toEqual(expected({ status: 'failed' }).slice(0, 40));
  await expect(listRunPage(scopeA, {}, { cursor: 'not a cursor!' })).rejects.toThrow(RangeError);
});

test('the other workspace sees only its own runs, and listRuns reads the same order', async () => {
  const { ids } = await allPages({}, 200).then(() => ({ ids: [] as string[] }));
  expect(ids).toEqual([]);
  const theirs = await listRunPage(systemScope('ws_list_b'), {}, { limit: 100 });
  expect(theirs.runs.map((r) => r.runId)).toEqual(expected({}, 'ws_list_b').slice(0, 100));
  expect((await listRuns(scopeA, { workflowId: 'wf_5', limit: 300 })).map((r) => r.runId)).toEqual(
    expected({ workflowId: 'wf_5' }).slice(0, 300),
  );
  const tagged = (await listRunPage(scopeA, { tag: { key: 'employeeId', value: '42' } })).runs[0];
  expect(tagged.tags).toMatchObject({ employeeId: '42' });
}, 120_000);
