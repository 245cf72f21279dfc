// Retention without TTL indexes: finished runs past their workflow's limits (days since they ended, or
// beyond the newest N) are deleted with everything they own: step records (live and archived), live
// events, approval requests, browser takeover tasks, GridFS blobs, and plans no run or published version pins any
// more. A pass deletes at most `maxRuns` runs, so it stays short whatever the backlog; the next pass continues.
//
// Order matters without transactions: a run's blobs, steps and events go first and its record last, so a
// pass cut short leaves a run the next pass finds again, never parts nothing points to.
import { deleteApprovalsOfRuns } from './approvals';
import { deleteBlobsOfRuns } from './blobs';
import { deleteTakeoversOfRuns } from './browser-takeovers';
import { handOverSharedBlobs } from './shared-blobs';
import { deleteLoopResultsOfRuns } from './loop-results';
import { deleteEventsOfRuns } from './events';
import { deleteIdlePlan } from './plans';
import {
  deleteRunRecords,
  finishedRunsBeyond,
  finishedRunsEndedBefore,
  finishedRunsOf,
  hasRunsOf,
  isPlanPinned,
  type RunKey,
} from './runs';
import { deleteStepsOfRuns } from './steps';
import { isPlanPublished, removeWorkflowRecords, workflowsForRetention } from './workflows';

/** Limits on finished runs; an absent limit keeps runs forever. */
export interface RetentionPolicy {
  days?: number;
  runs?: number;
}

export interface PruneOptions {
  /** The global default (BATON_RETENTION_DAYS, BATON_RETENTION_RUNS); a workflow's own settings win. */
  defaults: RetentionPolicy;
  /** Most runs one pass deletes. */
  maxRuns?: number;
  /** A plan saved for a run this recently is spared: that run's record may be about to be written. */
  planGraceMs?: number;
  now?: Date;
}

export interface PruneCounts {
  runs: number;
  steps: number;
  events: number;
  blobs: number;
  plans: number;
  workflows: number;
}

const DAY_MS = 86_400_000;

/** The global default from the environment; unset means keep. */
export function retentionDefaults(env: Record<string, string | undefined> = process.env): RetentionPolicy {
  return {
    days: positive(env, 'BATON_RETENTION_DAYS', false),
    runs: positive(env, 'BATON_RETENTION_RUNS', true),
  };
}

/** One retention pass over every workflow. */
export async function pruneRuns(opts: PruneOptions): Promise<PruneCounts> {
  const now = opts.now ?? new Date();
  const pass = new Pass(opts.maxRuns ?? 500, opts.planGraceMs ?? 10 * 60_000, now);
  const workflows = await workflowsForRetention();
  for (const w of workflows.filter((w) => w.purgeRuns)) await pass.purgeWorkflow(w.id);

  const kept = workflows.filter((w) => !w.purgeRuns);
  const ownDays = kept.filter((w) => w.retention.days !== null);
  for (const w of ownDays) {
    const before = new Date(now.getTime() - w.retention.days! * DAY_MS);
    await pass.delete((limit) => finishedRunsEndedBefore(before, { workflowId: w.id, limit }));
  }
  if (opts.defaults.days !== undefined) {
    const before = new Date(now.getTime() - opts.defaults.days * DAY_MS);
    const exceptWorkflowIds = ownDays.map((w) => w.id);
    await pass.delete((limit) => finishedRunsEndedBefore(before, { exceptWorkflowIds, limit }));
  }
  for (const w of kept) {
    const keep = w.retention.runs ?? opts.defaults.runs;
    if (keep !== undefined) await pass.delete((limit) => finishedRunsBeyond(w.id, keep, limit));
  }
  return pass.finish();
}

/**
 * Deletes a workflow marked for deletion with its runs (db/workflows `archiveWorkflow`): its finished runs
 * first, then, once none is left, the workflow and its versions. Runs still active stay until they end.
 */
export async function purgeWorkflow(
  workflowId: string,
  opts: { maxRuns?: number; planGraceMs?: number } = {},
): Promise<PruneCounts & { done: boolean }> {
  const pass = new Pass(opts.maxRuns ?? 500, opts.planGraceMs ?? 10 * 60_000, new Date());
  const done = await pass.purgeWorkflow(workflowId);
  return { ...(await pass.finish()), done };
}

class Pass {
  private readonly counts: PruneCounts = { runs: 0, steps: 0, events: 0, blobs: 0, plans: 0, workflows: 0 };
  private readonly planHashes = new Set<string>();

  constructor(
    private budget: number,
    private readonly planGraceMs: number,
    private readonly now: Date,
  ) {}

  /** Deletes the runs `find` returns (asked for at most the remaining budget) until it returns none. */
  async delete(find: (limit: number) => Promise<RunKey[]>): Promise<void> {
    while (this.budget > 0) {
      const keys = await find(Math.min(this.budget, 100));
      if (keys.length === 0) return;
      await this.deleteRuns(keys);
    }
  }

  async purgeWorkflow(workflowId: string): Promise<boolean> {
    await this.delete((limit) => finishedRunsOf(workflowId, limit));
    if (this.budget === 0 || (await hasRunsOf(workflowId))) return false;
    for (const hash of await removeWorkflowRecords(workflowId)) this.planHashes.add(hash);
    this.counts.workflows++;
    return true;
  }

  /** Deletes plans the deleted runs and versions pinned, unless something still pins them. */
  async finish(): Promise<PruneCounts> {
    const idleSince = new Date(this.now.getTime() - this.planGraceMs);
    for (const hash of this.planHashes) {
      if ((await isPlanPinned(hash)) || (await isPlanPublished(hash))) continue;
      if (await deleteIdlePlan(hash, idleSince)) this.counts.plans++;
    }
    this.planHashes.clear();
    return { ...this.counts };
  }

  private async deleteRuns(keys: RunKey[]): Promise<void> {
    const ids = keys.map((k) => k.runId);
    // Blobs a retry of these runs took over pass to that retry instead (db/shared-blobs.ts).
    await handOverSharedBlobs(ids);
    this.counts.blobs += await deleteBlobsOfRuns(ids);
    this.counts.steps += await deleteStepsOfRuns(ids);
    await deleteLoopResultsOfRuns(ids);
    await deleteApprovalsOfRuns(ids);
    await deleteTakeoversOfRuns(ids);
    this.counts.events += await deleteEventsOfRuns(ids);
    this.counts.runs += await deleteRunRecords(ids);
    for (const k of keys) this.planHashes.add(k.planHash);
    this.budget -= keys.length;
  }
}

function positive(env: Record<string, string | undefined>, name: string, whole: boolean): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!(n > 0) || (whole && !Number.isSafeInteger(n)))
    throw new Error(
      `${name} must be a ${whole ? 'whole ' : ''}number above 0, not "${raw}"; leave it unset to keep runs.`,
    );
  return n;
}
