// Finished run records in bulk, for the runs-page tests and benchmark: varied workflows, statuses, trigger kinds,
// starters and tags, started in bursts with quiet gaps between (the run list must cross both), written through the
// driver in large batches. Deterministic: run k is the same record in every seeding.
import type { RunStatus } from '../contracts/run-status';
import type { RunMode } from '../contracts/run-record';
import { tagFields } from '../contracts/run-tags';
import { runBuckets } from '../db/run-buckets';
import { RunModel, type RunDoc } from '../db/runs';

const STATUSES: RunStatus[] = ['succeeded', 'succeeded', 'failed', 'succeeded', 'cancelled', 'running', 'terminated'];
const MODES: RunMode[] = ['webhook', 'manual', 'schedule', 'webhook', 'subworkflow'];

export interface SeedRunsOptions {
  count: number;
  /** The newest seeded run starts here; the others before it. */
  newest: Date;
  workspaces: string[];
  /** Run ids are `<prefix><k>`. */
  prefix?: string;
  /** The first `k` to write (to add older runs to a seeded history). */
  first?: number;
  log?: (line: string) => void;
}

/** The record of seeded run `k` (0 is the newest). */
export function seededRun(k: number, opts: Pick<SeedRunsOptions, 'newest' | 'workspaces' | 'prefix'>): RunDoc {
  // 5 s apart in bursts of 400, with 3 h between bursts, so buckets hold dozens of runs or none.
  const startedAt = new Date(opts.newest.getTime() - k * 5_000 - Math.floor(k / 400) * 3 * 3_600_000);
  const status = STATUSES[k % STATUSES.length];
  const runId = `${opts.prefix ?? 'run_seed_'}${String(k).padStart(6, '0')}`;
  const tags: Record<string, string> = {};
  if (k % 3 === 0) tags.employeeId = String(k % 997);
  if (k % 10 === 0) tags.dept = ['hr', 'it', 'sales'][k % 3];
  return {
    _id: runId,
    runId,
    workspaceId: opts.workspaces[k % 10 === 9 ? opts.workspaces.length - 1 : 0],
    workflowId: `wf_${k % 7}`,
    workflowVersion: 1,
    planHash: 'seed',
    status,
    mode: MODES[k % MODES.length],
    trigger: JSON.stringify({ body: { k } }),
    output: status === 'succeeded' ? JSON.stringify({ ok: true, k }) : undefined,
    ...(status === 'failed' ? { error: { message: `Seeded failure ${k}`, nodeId: 'n1', code: 'http' } } : {}),
    startedBy: k % 4 === 0 ? `user_${k % 3}` : undefined,
    ...(status === 'running' && k % 2 === 0 ? { awaiting: 'approval' as const } : {}),
    startedAt,
    ...(status === 'running' ? {} : { endedAt: new Date(startedAt.getTime() + 1_500) }),
    ...runBuckets(startedAt),
    ...(Object.keys(tags).length > 0 ? tagFields(tags) : {}),
  } as RunDoc;
}

/** Inserts seeded runs `first … count-1` into the runs collection of the current connection. */
export async function seedRuns(opts: SeedRunsOptions): Promise<void> {
  const batch = 2_000;
  for (let first = opts.first ?? 0; first < opts.count; first += batch) {
    const docs: RunDoc[] = [];
    for (let k = first; k < Math.min(first + batch, opts.count); k++) {
      const doc = seededRun(k, opts) as unknown as Record<string, unknown>;
      for (const key of Object.keys(doc)) if (doc[key] === undefined) delete doc[key];
      docs.push(doc as unknown as RunDoc);
    }
    await RunModel.collection.insertMany(docs as never[], { ordered: false });
    opts.log?.(`  seeded ${Math.min(first + batch, opts.count)} of ${opts.count} runs`);
  }
}
