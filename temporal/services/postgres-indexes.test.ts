// FerretDB over the embedded PostgreSQL answers equality filters from an index: the launcher's cluster gets a GIN
// twin of every index FerretDB makes, and PostgreSQL plans each statement with its values. Checked on the plans
// PostgreSQL reports through FerretDB's `explain` for a collection of 5,000 documents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { readServicesState, startServices, type RunningServices } from './index';
import { freePort } from './ports';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let home: string;
let services: RunningServices;
let client: mongoose.mongo.MongoClient;
let db: mongoose.mongo.Db;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'baton-pg-indexes-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(repo, '.baton', 'bin'),
    BATON_MONGO_PORT: String(await freePort()),
    TEMPORAL_ADDRESS: '127.0.0.1:1', // given, so not started: only the store is under test
    BATON_CHROMIUM: '/usr/bin/chromium',
    BATON_FERRETDB_BACKEND: 'postgresql',
  };
  delete env.MONGODB_URI;
  delete env.BATON_HOME;
  services = await startServices({ home, profile: 'test', log: () => undefined, env });
  client = new mongoose.mongo.MongoClient(services.env.MONGODB_URI);
  await client.connect();
  db = client.db();
  const steps = db.collection<{ _id: string; runId: string; n: number }>('steps');
  await steps.createIndexes([{ key: { runId: 1 } }, { key: { n: 1, runId: 1 } }]);
  await steps.insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: `s${i}`, runId: `r${i % 500}`, n: i })));
}, 180_000);

afterAll(async () => {
  await client?.close();
  await services?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** The indexes PostgreSQL's plan for this filter reads (FerretDB passes the plan through `explain`). */
async function indexesUsed(filter: mongoose.mongo.Document): Promise<string[]> {
  const reply = await db.command({ explain: { find: 'steps', filter }, verbosity: 'queryPlanner' });
  return [...JSON.stringify(reply.queryPlanner).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]);
}

test('an _id lookup and an equality on an indexed field read a GIN twin, not the whole table', async () => {
  expect(await indexesUsed({ _id: 's42' })).toEqual([expect.stringMatching(/^steps_.*_id_.*_eq$/)]);
  expect(await indexesUsed({ runId: 'r7' })).toEqual([expect.stringMatching(/^steps_.*runid_.*_eq$/)]);
  // The first key of a compound index is twinned, as MongoDB would use it.
  expect(await indexesUsed({ n: 42 })).toEqual([expect.stringMatching(/^steps_[0-9a-f]+_n_+runid_.*_eq$/)]);
  expect(await db.collection('steps').findOne({ _id: 's42' as never })).toMatchObject({ runId: 'r42', n: 42 });
  expect(await db.collection('steps').countDocuments({ runId: 'r7' })).toBe(10);
});

/** How often PostgreSQL read each index of the table so far (an idle backend reports within 10 s). */
function indexScans(table: string): Record<string, number> {
  const port = readServicesState(services.stateFile)!.processes.find((p) => p.name === 'postgres')!.port;
  const sql = `SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname LIKE '${table}\\_%'`;
  const out = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'baton', '-d', 'postgres', '-Atc', sql], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`psql failed: ${out.stderr}`);
  return Object.fromEntries(
    out.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('|'))
      .map(([name, scans]) => [name, Number(scans)]),
  );
}

// `explain` plans with the values at hand; FerretDB's own statements are prepared, and after five runs PostgreSQL
// would switch them to a generic plan, which cannot match the twin, unless the server forces custom plans.
test('repeated lookups keep reading the index', async () => {
  const idTwin = (scans: Record<string, number>) => Object.entries(scans).find(([name]) => /_id_.*_eq$/.test(name))![1];
  const before = idTwin(indexScans('steps'));
  for (let i = 0; i < 30; i++) await db.collection('steps').findOne({ _id: `s${i}` as never });
  let used = 0;
  for (const deadline = Date.now() + 15_000; used < 30 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 250));
    used = idTwin(indexScans('steps')) - before;
  }
  expect(used).toBeGreaterThanOrEqual(30); // lookups of earlier tests may be reported late
}, 30_000);

test('filters FerretDB does not push down still scan: $in and ranges', async () => {
  expect(await indexesUsed({ _id: { $in: ['s1', 's2'] } })).toEqual([]);
  expect(await indexesUsed({ n: { $lt: 3 } })).toEqual([]);
});

test('dropping an index drops its twin', async () => {
  await db.collection('steps').dropIndex('runId_1');
  expect(await indexesUsed({ runId: 'r7' })).toEqual([]);
  expect(await indexesUsed({ _id: 's42' })).toHaveLength(1);
});

test('a collection created later gets twins too', async () => {
  await db.collection('later').insertMany(Array.from({ length: 3000 }, (_, i) => ({ _id: `l${i}` as never })));
  const reply = await db.command({ explain: { find: 'later', filter: { _id: 'l9' } }, verbosity: 'queryPlanner' });
  expect(JSON.stringify(reply.queryPlanner)).toMatch(/"Index Name":"later_[^"]*_eq"/);
});
