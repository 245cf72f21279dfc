// The runs page's query: a workspace's runs, newest first, filtered by workflow, status, trigger kind, starter,
// date range and tag, paged by a stable cursor (start time, then run id).
//
// FerretDB sends only top-level equalities to PostgreSQL and sorts, limits and ranges in its own process over
// every row they match (docs/decisions/031-flat-history.md), so "newest 50 of 100,000" cannot be asked of it
// directly. History is read instead one time bucket at a time (db/run-buckets.ts), newest first, each bucket an
// equality its GIN index answers, with the filters as further equalities: a minute while minutes hold runs, a
// coarser bucket after sparse ones (gaps, rare filters), a finer one again when a coarse one holds too many. A page
// costs a few bucket reads of a few dozen runs each, whatever the size of the history.
import type { FilterQuery } from 'mongoose';
import type { RunMode, RunView } from '../contracts/run-record';
import type { RunStatus } from '../contracts/run-status';
import { tagString } from '../contracts/run-tags';
import { bucketAt, type BucketLevel } from './run-buckets';
import { RunModel, toView, type RunDoc } from './runs';
import type { WorkspaceScope } from './workspaces';

/** A run status as the runs page filters it: a running run waiting on an approval has its own. */
export type RunListStatus = RunStatus | 'awaiting-approval';

export const RUN_LIST_STATUSES: readonly RunListStatus[] = [
  'queued',
  'running',
  'awaiting-approval',
  'succeeded',
  'failed',
  'cancelled',
  'terminated',
  'timed-out',
];

export interface RunListFilter {
  workflowId?: string;
  status?: RunListStatus;
  mode?: RunMode;
  startedBy?: string;
  /** Started at or after. */
  from?: Date;
  /** Started before. */
  to?: Date;
  tag?: { key: string; value: string };
  /** One run by its exact id. */
  runId?: string;
}

export interface RunPage {
  runs: RunView[];
  /** Where the next page starts; absent when history has no more runs for the filter. */
  nextCursor?: string;
}

/** Where a page ends: runs strictly older than this (start time, then run id, both descending). */
interface Position {
  t: number;
  id: string;
}

export const RUN_PAGE_LIMITS = { default: 50, max: 200 } as const;
/** A bucket coarser than a minute is read whole only while it holds fewer runs than this. */
const COARSE_CAP = 200;
/** Bucket reads one page may make; past them the page ends early, with a cursor to go on from. */
const MAX_READS = 120;
/**
 * Sparse buckets in a row, per level, before a coarser one is read: reading a coarse bucket that turns out full costs
 * as much as all its runs, so hours wait out a gap of a few hours before trying the day.
 */
const SPARSE_BEFORE_COARSER: readonly number[] = [2, 4, 3];
/** Empty months in a row (without a date range) after which history is taken to have ended. */
const EMPTY_MONTHS_AT_END = 24;
const LIST_FIELDS = { trigger: 0, output: 0 } as const;

/**
 * Reads found too full to take whole (a coarse bucket, or all runs of a tag), by filter and bucket, across pages
 * and requests: the next page, a reload or another person's view goes finer at once instead of reading the same
 * `COARSE_CAP` runs again to learn it. Runs only join a bucket or a tag, so a read stays full; a retention pass
 * that empties it again only costs finer reads than needed, never a wrong page. Bounded; the oldest entry goes first.
 */
const knownFull = new Set<string>();
const KNOWN_FULL_MAX = 20_000;
function rememberFull(key: string): void {
  if (knownFull.size >= KNOWN_FULL_MAX) knownFull.delete(knownFull.values().next().value!);
  knownFull.add(key);
}

export function encodeRunCursor(p: Position): string {
  return Buffer.from(`${p.t}.${p.id}`, 'utf8').toString('base64url');
}

/** The cursor's position, or undefined when it is not one this module wrote. */
export function decodeRunCursor(cursor: string): Position | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const t = Number(text.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(t) || t < 0) return undefined;
  return { t, id: text.slice(dot + 1) };
}

const positionOf = (d: RunDoc): Position => ({ t: d.startedAt.getTime(), id: d._id });
const isBefore = (d: RunDoc, p: Position) => {
  const t = d.startedAt.getTime();
  return t < p.t || (t === p.t && d._id < p.id);
};
const newestFirst = (a: RunDoc, b: RunDoc) =>
  b.startedAt.getTime() - a.startedAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);

/** The filter's equalities (what the store's indexes answer) and what is checked on the runs read. */
function compile(scope: WorkspaceScope, f: RunListFilter) {
  const eq: FilterQuery<RunDoc> = { workspaceId: scope.workspaceId };
  if (f.workflowId) eq.workflowId = f.workflowId;
  if (f.mode) eq.mode = f.mode;
  if (f.startedBy) eq.startedBy = f.startedBy;
  if (f.tag) eq.tags = tagString(f.tag.key, f.tag.value);
  if (f.status === 'awaiting-approval') Object.assign(eq, { status: 'running', awaiting: 'approval' });
  else if (f.status) eq.status = f.status;
  const from = f.from?.getTime();
  const to = f.to?.getTime();
  const keep = (d: RunDoc) =>
    (f.status !== 'running' || !d.awaiting) &&
    (from === undefined || d.startedAt.getTime() >= from) &&
    (to === undefined || d.startedAt.getTime() < to);
  return { eq, keep, from };
}

/**
 * One page of the workspace's runs matching `filter`, newest first. `cursor` is the `nextCursor` of the page
 * before; a cursor this module did not write throws `RangeError`.
 */
export async function listRunPage(
  scope: WorkspaceScope,
  filter: RunListFilter,
  opts: { cursor?: string; limit?: number } = {},
): Promise<RunPage> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? RUN_PAGE_LIMITS.default), 1), RUN_PAGE_LIMITS.max);
  let start: Position = { t: Number.MAX_SAFE_INTEGER, id: '' };
  if (opts.cursor) {
    const decoded = decodeRunCursor(opts.cursor);
    if (!decoded) throw new RangeError('cursor is not one this server wrote; start again without it');
    start = decoded;
  }
  if (filter.to && filter.to.getTime() < start.t) start = { t: filter.to.getTime(), id: '' };
  const { eq, keep, from } = compile(scope, filter);

  if (filter.runId) {
    const doc = await RunModel.findOne({ ...eq, _id: filter.runId }, LIST_FIELDS).lean();
    return { runs: doc && isBefore(doc, start) && keep(doc) ? [toView(doc)] : [] };
  }
  const filterKey = JSON.stringify(eq);
  // A tag names few runs as a rule: read them all at once when they are few, and walk the buckets when not.
  if (filter.tag && !knownFull.has(filterKey)) {
    const docs = await RunModel.find(eq, LIST_FIELDS).limit(COARSE_CAP).lean();
    if (docs.length < COARSE_CAP)
      return pageOf(docs.filter((d) => isBefore(d, start) && keep(d)).sort(newestFirst), limit);
    rememberFull(filterKey);
  }
  return walk(eq, filterKey, keep, start, from, limit);
}

function pageOf(sorted: RunDoc[], limit: number): RunPage {
  const runs = sorted.slice(0, limit);
  return {
    runs: runs.map(toView),
    ...(sorted.length > limit ? { nextCursor: encodeRunCursor(positionOf(runs[runs.length - 1])) } : {}),
  };
}

async function walk(
  eq: FilterQuery<RunDoc>,
  filterKey: string,
  keep: (d: RunDoc) => boolean,
  start: Position,
  floor: number | undefined,
  limit: number,
): Promise<RunPage> {
  const out: RunDoc[] = [];
  const isFull = (field: string, key: string) => knownFull.has(`${filterKey} ${field}:${key}`);
  let pos = start;
  let level: BucketLevel = 0;
  let sparseInARow = 0;
  let emptyMonths = 0;
  for (let reads = 0; ; reads++) {
    const at = pos.id === '' ? pos.t - 1 : pos.t; // the newest instant still to read
    if (floor !== undefined && at < floor) break;
    if (reads >= MAX_READS) return { runs: out.map(toView), nextCursor: encodeRunCursor(pos) };
    // Runs start now at the latest (a minute of clock skew between processes allowed).
    const bucket = bucketAt(level, Math.min(at, Date.now() + 60_000));
    const query = RunModel.find({ ...eq, [bucket.field]: bucket.key }, LIST_FIELDS).lean();
    const docs = level > 0 ? await query.limit(COARSE_CAP) : await query;
    if (level > 0 && docs.length >= COARSE_CAP) {
      rememberFull(`${filterKey} ${bucket.field}:${bucket.key}`);
      level = (level - 1) as BucketLevel;
      sparseInARow = 0;
      continue;
    }
    for (const doc of docs.filter((d) => isBefore(d, pos) && keep(d)).sort(newestFirst)) {
      out.push(doc);
      if (out.length === limit) return { runs: out.map(toView), nextCursor: encodeRunCursor(positionOf(doc)) };
    }
    pos = { t: bucket.start, id: '' };
    if (level === 3 && floor === undefined) {
      emptyMonths = docs.length === 0 ? emptyMonths + 1 : 0;
      if (emptyMonths >= EMPTY_MONTHS_AT_END) break;
    }
    // Sparse buckets in a row: the next ones are likely sparse too, so read a coarser one unless it is known full.
    sparseInARow = docs.length * 4 < limit - out.length ? sparseInARow + 1 : 0;
    if (level < 3 && sparseInARow >= SPARSE_BEFORE_COARSER[level]!) {
      const parent = bucketAt((level + 1) as BucketLevel, pos.t - 1);
      if (!isFull(parent.field, parent.key)) {
        level = (level + 1) as BucketLevel;
        sparseInARow = 0;
      }
    }
  }
  return { runs: out.map(toView) };
}
