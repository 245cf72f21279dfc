// The runs page part of `npm run bench:approval`: how long the runs page's query (db/run-list.ts) takes for a page of
// 50 runs over 10,000 and then 100,000 seeded runs (test/seed-runs.ts: bursts of runs with quiet hours between),
// unfiltered, on later pages, and with each kind of filter. Seeds into the database the caller is connected to.
// Prints the first read of each case, then median and p95 of BENCH_RUNS_PAGE_REPS reads; asserts nothing. BENCH_RUNS sets the levels.
import { listRunPage, type RunListFilter } from '../db/run-list';
import { RunModel } from '../db/runs';
import { systemScope } from '../db/workspaces';
import { seededRun, seedRuns } from '../test/seed-runs';
import { markdownTable } from './lib-report';

const LEVELS = (process.env.BENCH_RUNS ?? '10000,100000').split(',').map(Number);
const REPS = Number(process.env.BENCH_RUNS_PAGE_REPS ?? 15);
const WORKSPACES = ['ws_bench_runs_a', 'ws_bench_runs_b'];
const scope = systemScope(WORKSPACES[0]);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function timePage(filter: RunListFilter, cursor?: string): Promise<{ ms: number; runs: number }> {
  const started = performance.now();
  const page = await listRunPage(scope, filter, { cursor, limit: 50 });
  return { ms: performance.now() - started, runs: page.runs.length };
}

export async function measureRunsPage(log: (line: string) => void): Promise<void> {
  await RunModel.syncIndexes();
  const newest = new Date(Date.now() - 60_000);
  let seeded = 0;
  for (const level of LEVELS) {
    const started = Date.now();
    await seedRuns({ count: level, first: seeded, newest, workspaces: WORKSPACES });
    seeded = level;
    log(`runs page: ${level.toLocaleString('en')} runs seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const second = (await listRunPage(scope, {}, { limit: 50 })).nextCursor;
    const deep = (await listRunPage(scope, {}, { limit: 200, cursor: second })).nextCursor;
    const cases: Array<[string, RunListFilter, string | undefined]> = [
      ['newest page', {}, undefined],
      ['second page (cursor)', {}, second],
      ['page after 250 runs', {}, deep],
      ['workflow', { workflowId: 'wf_3' }, undefined],
      ['status failed', { status: 'failed' }, undefined],
      ['waiting for approval', { status: 'awaiting-approval' }, undefined],
      ['trigger kind + started by', { mode: 'manual', startedBy: 'user_1' }, undefined],
      ['tag, one run in 1,000', { tag: { key: 'employeeId', value: '42' } }, undefined],
      ['tag, one run in 30', { tag: { key: 'dept', value: 'hr' } }, undefined],
      ['run id', { runId: seededRun(Math.floor(level / 2), { newest, workspaces: WORKSPACES })._id }, undefined],
      [
        'a day, a week back',
        { from: new Date(newest.getTime() - 8 * 86_400_000), to: new Date(newest.getTime() - 7 * 86_400_000) },
        undefined,
      ],
    ];
    const rows: string[][] = [];
    for (const [name, filter, cursor] of cases) {
      // The first read of a filter learns which buckets are too full to read whole (db/run-list.ts `knownFull`);
      // the reads after it, like paging or a reload, go finer at once.
      const first = await timePage(filter, cursor);
      const times: number[] = [];
      let runs = 0;
      for (let i = 0; i < REPS; i++) {
        const t = await timePage(filter, cursor);
        times.push(t.ms);
        runs = t.runs;
      }
      times.sort((a, b) => a - b);
      rows.push([
        name,
        first.ms.toFixed(1),
        percentile(times, 0.5).toFixed(1),
        percentile(times, 0.95).toFixed(1),
        String(runs),
      ]);
    }
    console.log(
      `\nRuns page, ${level.toLocaleString('en')} stored runs, page of 50 (${REPS} reads each)\n` +
        markdownTable(['query', 'first read ms', 'p50 ms', 'p95 ms', 'runs'], rows),
    );
  }
}
