// The hot-path storage operations of a run on each embedded Mongo-protocol backend, as stored runs pile up
// (docs/decisions/029-embedded-postgresql.md): FerretDB over SQLite, FerretDB over PostgreSQL, and mongod if
// installed. Each backend runs in a temporary home; runs and their steps are bulk-inserted in the shapes db/runs.ts
// and db/steps.ts write, then the same db/ functions the engine calls are timed.
//   npx tsx bench/storage-backends.ts
//   BENCH_STORAGE_STORED=0,10000,100000   stored runs before each measurement (2 archived steps each)
//   BENCH_STORAGE_OPS=200                 operations per measurement, cut short after BENCH_STORAGE_BUDGET_MS=10000
//   BENCH_STORAGE_BACKENDS=sqlite,postgresql,mongod
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import { trackRun, untrackRun } from '../db/active-runs';
import { getPlan } from '../db/plans';
import { getStoredRun } from '../db/runs';
import { findLiveStep, recordStep, stepKey } from '../db/steps';
import { getWorkflow } from '../db/workflows';
import { servicePaths } from '../temporal/services';
import { ensureDir } from '../temporal/services/home';
import { findOnPath } from '../temporal/services/installer';
import { startMongoServer, type MongoServer } from '../temporal/services/mongo-server';
import { freePort } from '../temporal/services/ports';
import { machineSummary, markdownTable } from './lib-report';
import { envList, envNumber, envNumbers } from './lib-settings';
import { systemScope } from '../db/workspaces';

const TEST_SCOPE = systemScope('ws_bench');

const STORED = envNumbers('BENCH_STORAGE_STORED', '0,10000,100000');
const OPS = envNumber('BENCH_STORAGE_OPS', 200);
const BUDGET_MS = envNumber('BENCH_STORAGE_BUDGET_MS', 10_000);
const BACKENDS = envList('BENCH_STORAGE_BACKENDS', 'sqlite,postgresql,mongod');
const RUNS_PER_WORKFLOW = 100; // one plan and one workflow per hundred runs
const repo = fileURLToPath(new URL('..', import.meta.url));

type Db = mongoose.mongo.Db;

interface Measured {
  backend: string;
  stored: number;
  op: string;
  samples: number[];
  dbCpuMs: number;
}

/** Ids of the seeded documents, so reads hit real records spread over the whole collection. */
interface Seeded {
  runs: number;
  workflowIds: mongoose.Types.ObjectId[];
}

const runId = (i: number) => `bench-run-${i}`;
const planHash = (w: number) => `bench-plan-${String(w).padStart(53, '0')}`; // 64 characters, like a sha256 hex

async function seedTo(db: Db, seeded: Seeded, target: number) {
  const batch = 1000;
  for (let from = seeded.runs; from < target; from += batch) {
    const to = Math.min(from + batch, target);
    const runs = [];
    const steps = [];
    for (let i = from; i < to; i++) {
      const w = Math.floor(i / RUNS_PER_WORKFLOW);
      if (i % RUNS_PER_WORKFLOW === 0) await seedWorkflowAndPlan(db, seeded, w);
      const startedAt = new Date(Date.now() - (target - i) * 1000);
      const endedAt = new Date(startedAt.getTime() + 40);
      runs.push({
        _id: runId(i),
        runId: runId(i),
        workflowId: String(seeded.workflowIds[w]),
        workflowVersion: 1,
        planHash: planHash(w),
        status: 'succeeded',
        mode: 'webhook',
        trigger: JSON.stringify({ body: { order: i, items: [1, 2, 3] } }),
        output: JSON.stringify({ total: i * 3 }),
        startedAt,
        endedAt,
      });
      for (const nodeId of ['webhook', 'set-1']) {
        steps.push({
          _id: stepKey(runId(i), nodeId, 0),
          runId: runId(i),
          nodeId,
          nodeName: nodeId === 'webhook' ? 'Webhook' : 'Set fields',
          type: nodeId === 'webhook' ? 'trigger.webhook' : 'data.set',
          iteration: 0,
          status: 'succeeded',
          attempt: 1,
          input: JSON.stringify({ order: i }),
          output: JSON.stringify({ order: i, f1: 1 }),
          outputSize: 18,
          startedAt,
          endedAt,
          durationMs: 3,
          updatedAt: endedAt,
        });
      }
    }
    await db.collection('runs').insertMany(runs as never[], { ordered: false });
    await db.collection('steps').insertMany(steps as never[], { ordered: false });
  }
  seeded.runs = Math.max(seeded.runs, target);
}

async function seedWorkflowAndPlan(db: Db, seeded: Seeded, w: number) {
  const _id = new mongoose.Types.ObjectId();
  seeded.workflowIds[w] = _id;
  const document = { nodes: [{ id: 'webhook' }, { id: 'set-1' }], edges: [{ from: 'webhook', to: 'set-1' }] };
  const now = new Date();
  await db.collection('workflows').insertOne({
    _id,
    name: `Bench ${w}`,
    ownerId: 'bench',
    revision: 1,
    documentJson: JSON.stringify(document),
    tags: [],
    publishedVersion: 1,
    createdAt: now,
    updatedAt: now,
  });
  const plan = { hash: planHash(w), workflowId: String(_id), name: `Bench ${w}`, nodes: document.nodes };
  await db.collection('plans').insertOne({
    _id: planHash(w) as never,
    hash: planHash(w),
    workflowId: String(_id),
    name: `Bench ${w}`,
    json: JSON.stringify(plan),
    createdAt: now,
  });
}

/** The engine's per-run storage calls, each against a record spread somewhere in what is stored. */
function operations(seeded: Seeded, tag: string): Record<string, (i: number) => Promise<unknown>> {
  const pick = (i: number, n: number) => (n === 0 ? 0 : (i * 7919) % n);
  const workflows = () => Math.max(seeded.workflowIds.length, 1);
  return {
    'run read by _id': (i) => getStoredRun(TEST_SCOPE, seeded.runs ? runId(pick(i, seeded.runs)) : 'missing'),
    'run read by _id, miss': (i) => getStoredRun(TEST_SCOPE, `missing-${tag}-${i}`),
    'step upsert + read (live)': async (i) => {
      const step = {
        runId: `live-${tag}`,
        nodeId: `set-${i}`,
        nodeName: 'Set fields',
        type: 'data.set',
        iteration: 0,
        status: 'succeeded' as const,
        attempt: 1,
        output: '{"f1":1}',
      };
      await recordStep(step);
      await findLiveStep(step.runId, step.nodeId);
    },
    'active run insert + delete': async (i) => {
      await trackRun(`active-${tag}-${i}`, 'bench', 'queued');
      await untrackRun(`active-${tag}-${i}`);
    },
    'plan read by _id': (i) => getPlan(planHash(pick(i, workflows()))),
    'workflow read by _id': (i) =>
      getWorkflow(TEST_SCOPE, String(seeded.workflowIds[pick(i, workflows())] ?? new mongoose.Types.ObjectId())),
  };
}

/** CPU ms so far of every process in these process groups (FerretDB, and PostgreSQL with its backends). */
function groupCpuMs(pgids: number[]): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (!pgids.includes(Number(fields[2]))) continue; // field 5, pgrp
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited while we looked
    }
  }
  return ticks * 10; // CLK_TCK is 100 on Linux
}

async function measureBackend(backend: string, results: Measured[]) {
  const home = mkdtempSync(path.join(os.tmpdir(), `baton-bench-storage-${backend}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BATON_BIN_DIR: process.env.BATON_BIN_DIR ?? path.join(repo, '.baton', 'bin'),
    BATON_FERRETDB_BACKEND: backend === 'mongod' ? undefined : backend,
  };
  const mongodDir = findOnPath('mongod', process.env);
  if (backend !== 'mongod' && mongodDir) {
    env.PATH = (env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== path.dirname(mongodDir))
      .join(':');
  }
  const paths = servicePaths(home, 'test', env);
  ensureDir(paths.logsDir);
  let server: MongoServer | undefined;
  try {
    const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
    server = await startMongoServer({ paths, profile: 'test', port: await freePort(), log, env });
    const pgids = [server.process.pid, ...(server.backend ? [server.backend.process.pid] : [])];
    await connectDb(`mongodb://127.0.0.1:${server.port}/baton_bench`);
    await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).createIndexes()));
    const db = mongoose.connection.db!;
    const seeded: Seeded = { runs: 0, workflowIds: [] };
    for (const stored of STORED) {
      const started = performance.now();
      await seedTo(db, seeded, stored);
      log(`${backend}: ${stored} runs stored (seeding took ${Math.round((performance.now() - started) / 1000)} s)`);
      for (const [op, run] of Object.entries(operations(seeded, `${backend}-${stored}`))) {
        await run(-1); // warm-up: connection, prepared statements, caches
        const samples: number[] = [];
        const cpuBefore = groupCpuMs(pgids);
        const opStarted = performance.now();
        for (let i = 0; i < OPS && (samples.length < 5 || performance.now() - opStarted < BUDGET_MS); i++) {
          const t = performance.now();
          await run(i);
          samples.push(performance.now() - t);
        }
        const dbCpuMs = (groupCpuMs(pgids) - cpuBefore) / samples.length;
        results.push({ backend, stored, op, samples, dbCpuMs });
        log(`${backend} @ ${stored}: ${op}: median ${quantile(samples, 0.5).toFixed(2)} ms (${samples.length} ops)`);
      }
    }
  } finally {
    await disconnectDb().catch(() => undefined);
    await server?.process.stop();
    await server?.backend?.process.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function main() {
  const results: Measured[] = [];
  for (const backend of BACKENDS) {
    if (backend === 'mongod' && !findOnPath('mongod')) {
      process.stderr.write('[bench] mongod is not on PATH: skipping MongoDB.\n');
      continue;
    }
    await measureBackend(backend, results);
  }
  console.log(`\nStorage hot path per backend (${machineSummary()}); ms per operation, DB CPU = FerretDB + PostgreSQL`);
  console.log(
    markdownTable(
      ['backend', 'stored runs', 'operation', 'median ms', 'p99 ms', 'ops', 'DB CPU ms/op'],
      results.map((r) => [
        r.backend,
        r.stored.toLocaleString('en'),
        r.op,
        quantile(r.samples, 0.5).toFixed(2),
        quantile(r.samples, 0.99).toFixed(2),
        String(r.samples.length),
        r.dbCpuMs.toFixed(2),
      ]),
    ),
  );
}

await main();
