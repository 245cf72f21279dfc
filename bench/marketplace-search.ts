// Marketplace search with the token index (docs/decisions/073) against the scan it replaced (`{ tokens: word }` on
// the listings, decision 068), side by side at several catalog sizes. Listings are bulk-written in their stored shape
// (with both the old token array and the index entries) to a database of their own, dropped at the end; then the
// same queries run both ways and the median time of each is printed, with the start-up backfill's check.
//   npm run bench:marketplace   (BENCH_LISTINGS=200,2000,10000 BENCH_REPEATS=9, each measurement cut short after
//                               BENCH_BUDGET_MS=10000, the old scan at 10,000 listings takes seconds per query)
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import type { ListingVisibility } from '../contracts/marketplace';
import { connectDb, disconnectDb } from '../db/connection';
import {
  backfillSearchIndex,
  ListingModel,
  newListingDoc,
  searchListings,
  type ListingDoc,
} from '../db/marketplace-listings';
import { listingTokens, searchEntriesOf, SearchTokenModel } from '../db/marketplace-search-index';
import { queryTokens } from '../ir/marketplace/search-tokens';
import { testDatabaseUri } from '../test/stack';
import { figure, machineSummary, markdownTable } from './lib-report';
import { envNumber, envNumbers } from './lib-settings';

const SIZES = envNumbers('BENCH_LISTINGS', '200,2000,10000');
const REPEATS = envNumber('BENCH_REPEATS', 9);
const BUDGET_MS = envNumber('BENCH_BUDGET_MS', 10_000);
const WORKSPACES = 50;
const VOCABULARY = 4000;
const DESCRIPTION_WORDS = 40;
const READER = 'ws_bench_reader';

const log = (line: string) => console.log(`[bench] ${line}`);

/** A small deterministic generator, so every run searches the same catalog. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ner', 'tu', 'sa', 'vo', 'rin', 'pe', 'dal', 'qui', 'fo', 'zen', 'bar', 'tal'];

/** Word `rank` of the vocabulary: rank 0 is the most frequent (Zipf), each word a distinct run of syllables. */
function word(rank: number): string {
  let n = rank + SYLLABLES.length;
  let out = '';
  while (n > 0) {
    out += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return out;
}

/** A Zipf-distributed rank: a few words are everywhere, most are rare, as in real descriptions. */
function zipfRank(next: () => number): number {
  return Math.min(VOCABULARY - 1, Math.floor(Math.exp(next() * Math.log(VOCABULARY + 1)) - 1));
}

function listingDoc(i: number): ListingDoc {
  const next = random(i + 1);
  const words = (n: number) => Array.from({ length: n }, () => word(zipfRank(next))).join(' ');
  const visibility: ListingVisibility = next() < 0.1 ? 'workspace' : next() < 0.2 ? 'public' : 'instance';
  return {
    ...newListingDoc({
      _id: `lst_bench_${i}`,
      publisherWorkspaceId: `ws_bench_${i % WORKSPACES}`,
      workflowId: `wf_bench_${i}`,
      meta: {
        title: words(3),
        description: words(DESCRIPTION_WORDS),
        category: ['HR', 'Finance', 'Ops', 'Sales'][i % 4],
        tags: [word(zipfRank(next)), word(zipfRank(next))],
        icon: '',
        visibility,
      },
    }),
    installs: Math.floor(next() * 1000),
    unpublished: next() < 0.05,
    searchIndexed: true,
    latestVersion: '1.0.0',
  };
}

/** Listings `from` to `to` in both shapes: the old token array on the listing, and the index entries. */
async function seed(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const docs = Array.from({ length: Math.min(500, to - start) }, (_, k) => listingDoc(start + k));
    const withTokens = docs.map((d) => ({ ...d, tokens: listingTokens(d) }));
    await ListingModel.collection.insertMany(withTokens as never[]);
    const entries = docs.flatMap((d) => searchEntriesOf(d));
    for (let e = 0; e < entries.length; e += 5000)
      await SearchTokenModel.insertMany(entries.slice(e, e + 5000), { lean: true });
  }
}

/** The search before decision 073: one query with every word as an equality on the unindexed `tokens` array. */
async function oldScan(q: string): Promise<string[]> {
  const and: Array<mongoose.FilterQuery<ListingDoc>> = [
    { $or: [{ publisherWorkspaceId: READER }, { visibility: { $in: ['instance', 'public'] }, unpublished: false }] },
  ];
  for (const token of queryTokens(q)) and.push({ tokens: token } as mongoose.FilterQuery<ListingDoc>);
  const docs = await ListingModel.find({ $and: and }, { tokens: 0 }).sort({ installs: -1, createdAt: -1 }).limit(50);
  return docs.map((d) => d._id);
}

const indexed = async (q: string) =>
  (await searchListings(READER, { q, sort: 'installs', limit: 50 })).map((l) => l.id);

/** Times `work` up to REPEATS times after one warm-up run, at least twice, stopping once BUDGET_MS is spent. */
async function timed(work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm: connection pool, Postgres' plan cache
  const samples: number[] = [];
  const start = performance.now();
  for (let r = 0; r < REPEATS && (r < 2 || performance.now() - start < BUDGET_MS); r++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const QUERIES: Array<{ name: string; q: string }> = [
  { name: 'rare word', q: word(2500) },
  { name: 'common word', q: word(1) },
  { name: 'two words', q: `${word(3)} ${word(120)}` },
  { name: 'prefix (3 letters)', q: word(40).slice(0, 3) },
  { name: 'no match', q: 'zeppelin' },
];

async function main() {
  const uri = testDatabaseUri('baton_bench_marketplace_search');
  await connectDb(uri);
  const db = mongoose.connection.db!;
  await db.dropDatabase();
  await mongoose.connection.syncIndexes();
  log(machineSummary());
  const rows: string[][] = [];
  const checks: string[][] = [];
  try {
    let seeded = 0;
    for (const size of SIZES) {
      const t0 = performance.now();
      await seed(seeded, size);
      seeded = size;
      const entries = await SearchTokenModel.estimatedDocumentCount();
      log(`${size} listings, ${entries} index entries, seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      for (const { name, q } of QUERIES) {
        const [a, b] = [await indexed(q), await oldScan(q)];
        // The two must agree before their times mean anything (ties in installs may order the first 50 differently).
        if ((a.length < 50 || b.length < 50) && [...a].sort().join() !== [...b].sort().join())
          throw new Error(`"${q}" at ${size}: the index found ${a.length} listings, the scan ${b.length}.`);
        const matches = String((await searchListings(READER, { q, limit: 200 })).length);
        const withIndex = await timed(() => indexed(q));
        const withScan = await timed(() => oldScan(q));
        const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
        rows.push([
          String(size),
          `${name} (“${q}”)`,
          matches === '200' ? '≥ 200' : matches,
          figure(withIndex, 1),
          figure(withScan, 1),
          `${(median(withScan) / median(withIndex)).toFixed(1)}×`,
        ]);
      }
      checks.push([String(size), figure(await timed(() => backfillSearchIndex()), 1)]);
    }
  } finally {
    await db.dropDatabase();
    await disconnectDb();
  }
  console.log(
    `\nSearch as workspace ${READER}, sorted by installs, first 50; ms, median (min–max) of 2 to ${REPEATS} runs\n`,
  );
  console.log(
    markdownTable(['listings', 'query', 'visible matches', 'token index ms', 'old scan ms', 'speed-up'], rows),
  );
  console.log('\nStart-up backfill when every listing is indexed (one query finding nothing), ms\n');
  console.log(markdownTable(['listings', 'backfill check ms'], checks));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
