// Webhook throughput and CPU per request of a whole Baton (`baton dev`: web, worker, Temporal dev server, FerretDB),
// on the peers' workflows (/work/shared/peers/README.md), at several amounts of stored run history. Each level is
// reached by seeding runs, warmed up, and measured only once Baton is quiet again; its idle cost is printed too.
//   npm run bench:webhook
// Knobs: BENCH_DURATION (s per cell, 20), BENCH_CONCURRENCY (1,16), BENCH_HISTORY (stored runs: 0,10000,100000),
//   BENCH_WORKFLOWS (bench5,bench20), BENCH_REPS (1), BENCH_WARMUP (s per workflow and history level, 5),
//   BENCH_SEED_SPACING_MS (ms between seeded runs, 1000), BENCH_EXPRESS_SETTINGS (JSON, {"mode":"express"}),
//   BENCH_MODES (standard,express).
import type mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import { startBatonDev, type BatonDev } from './lib-baton-dev';
import {
  BatonApi,
  BENCH_SIZES,
  benchWorkflowNames,
  expressModeAvailable,
  verifyAnswer,
  type BenchMode,
  type BenchWorkflow,
} from './lib-bench-workflows';
import { busyCores, cpuMsByRole, perRole, PROCESS_ROLES, type CpuByRole } from './lib-process-cpu';
import { figure, loadAverage, machineSummary, markdownTable } from './lib-report';
import { storedRuns, waitForIdle } from './lib-run-state';
import { captureRunTemplate, seedHistory, type RunTemplate } from './lib-seed-history';
import { envList, envNumber, envNumbers } from './lib-settings';
import { chooseLoadTool, runLoad, type LoadResult, type LoadTool } from './load/run-load';

const settings = {
  durationS: envNumber('BENCH_DURATION', 20),
  concurrency: envNumbers('BENCH_CONCURRENCY', '1,16'),
  history: envNumbers('BENCH_HISTORY', '0,10000,100000'),
  workflows: benchWorkflowNames(envList('BENCH_WORKFLOWS', 'bench5,bench20')),
  reps: Math.max(1, envNumber('BENCH_REPS', 1)),
  warmupS: envNumber('BENCH_WARMUP', 5),
  seedSpacingMs: envNumber('BENCH_SEED_SPACING_MS', 1000),
  modes: envList('BENCH_MODES', 'standard,express'),
};
type Db = mongoose.mongo.Db;

const TIMEOUT_S = 10; // as in the peers' runs
const IDLE_TIMEOUT_MS = 180_000;
// Seeding and warm-up leave work behind (PostgreSQL's autovacuum wakes once a minute, Baton's housekeeping moves
// steps): each level waits until Baton stays under QUIET_CORES for QUIET_SAMPLES samples in a row.
const QUIET_CORES = 0.25;
const SAMPLE_MS = 10_000;
const QUIET_SAMPLES = 7;
const QUIET_TIMEOUT_MS = 10 * 60_000;

/** A history level: how it was reached, and what Baton costs there with no load at all. */
interface Level {
  history: number;
  seeded?: string;
  /** The last sample of the wait for quiet, and how long that wait took (undefined: quiet never came). */
  idle: CpuByRole;
  quietAfterS?: number;
}

interface Measurement {
  /** The history level: stored runs when its measurements began (seeded up to it). */
  history: number;
  workflow: string;
  mode: BenchMode;
  connections: number;
  load: LoadResult;
  cpuMs: CpuByRole;
  wallMs: number;
}

const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  log(machineSummary());
  log(`settings: ${JSON.stringify(settings)}`);
  const tool = chooseLoadTool(log);
  const available: BenchMode[] = expressModeAvailable() ? ['standard', 'express'] : ['standard'];
  if (available.length === 1) log('Express mode: n/a (the workflow setting does not exist in this checkout).');
  const modes = available.filter((mode) => settings.modes.includes(mode));

  const baton = await startBatonDev(log);
  const measurements: Measurement[] = [];
  const levels: Level[] = [];
  try {
    const api = await BatonApi.setUp(baton.url);
    const workflows = await publishVerified(api, modes);
    const db = (await connectDb(baton.mongoUri)).connection.db!;
    const templates = await captureTemplates(api, db, workflows);
    for (const level of settings.history) {
      const seeded = await reachHistory(db, templates, level);
      await warmUp(tool, workflows, db);
      await settle(db);
      levels.push({ history: level, seeded, ...(await waitForQuiet(baton)) });
      for (let rep = 1; rep <= settings.reps; rep++) {
        for (const workflow of workflows) {
          for (const connections of settings.concurrency) {
            measurements.push(await measure(tool, baton, db, workflow, connections, level));
          }
        }
      }
    }
  } finally {
    await disconnectDb();
    await baton.stop();
  }
  report(measurements, levels, modes, `load from ${tool}, store ${baton.store}`);
}

async function publishVerified(api: BatonApi, modes: BenchMode[]): Promise<BenchWorkflow[]> {
  const workflows: BenchWorkflow[] = [];
  for (const name of settings.workflows) {
    for (const mode of modes) workflows.push(await api.createPublished(name, mode, BENCH_SIZES[name]));
  }
  for (const workflow of workflows) {
    await verifyAnswer(workflow);
    log(`${workflow.name} (${workflow.mode}) answers correctly at ${workflow.hookUrl}`);
  }
  return workflows;
}

/** What the latest (verified) run of each standard workflow stored: the pattern seeded runs are cloned from. */
async function captureTemplates(api: BatonApi, db: Db, workflows: BenchWorkflow[]): Promise<RunTemplate[]> {
  const templates: RunTemplate[] = [];
  for (const workflow of workflows.filter((w) => w.mode === 'standard')) {
    const path = `/api/runs?workflowId=${workflow.id}&limit=1`;
    const { runs } = await api.call<{ runs: { runId: string }[] }>('GET', path);
    const template = await captureRunTemplate(db, runs[0].runId);
    const shape = [...template.docs].map(([collection, docs]) => `${collection} ${docs.length}`).join(', ');
    log(`One run of ${workflow.name} stored: ${shape}`);
    templates.push(template);
  }
  return templates;
}

/** Seeds runs until `level` are stored; returns what it did, for the report. */
async function reachHistory(db: Db, templates: RunTemplate[], level: number): Promise<string | undefined> {
  const before = await storedRuns(db);
  let done: string | undefined;
  if (level > before) {
    log(`Seeding ${level - before} runs to reach ${level} stored runs…`);
    const seeded = await seedHistory(db, templates, level - before, { spacingMs: settings.seedSpacingMs, log });
    const written = Object.entries(seeded.written)
      .map(([collection, count]) => `${collection} ${count}`)
      .join(', ');
    done =
      `${level} stored runs: ${seeded.runs} runs seeded in ${seeded.seconds.toFixed(0)} s (${written}) ` +
      'by cloning, in bulk through the driver, every document one real run of each workflow wrote';
    log(done);
  }
  log(`History level ${level}: ${await storedRuns(db)} runs stored.`);
  return done;
}

async function warmUp(tool: LoadTool, workflows: BenchWorkflow[], db: Db): Promise<void> {
  if (settings.warmupS <= 0) return;
  const connections = Math.max(...settings.concurrency);
  for (const workflow of workflows) {
    await runLoad(tool, loadOptions(workflow, connections, settings.warmupS));
    await settle(db);
  }
}

async function waitForQuiet(baton: BatonDev): Promise<Pick<Level, 'idle' | 'quietAfterS'>> {
  const started = Date.now();
  for (let quiet = 0; ;) {
    const idle = await busyCores(baton.pids, SAMPLE_MS);
    quiet = sum(Object.values(idle)) < QUIET_CORES ? quiet + 1 : 0;
    if (quiet >= QUIET_SAMPLES) return { idle, quietAfterS: (Date.now() - started) / 1000 };
    if (Date.now() - started > QUIET_TIMEOUT_MS) {
      log(`  Baton never went quiet: ${sum(Object.values(idle)).toFixed(2)} cores busy with no load`);
      return { idle };
    }
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Requests abandoned by the previous run leave runs behind; they must not load the next measurement. */
async function settle(db: Db): Promise<void> {
  const left = await waitForIdle(db, IDLE_TIMEOUT_MS);
  if (left > 0) log(`  ${left} runs were still active after ${IDLE_TIMEOUT_MS / 1000} s; measuring anyway`);
}

async function measure(
  tool: LoadTool,
  baton: BatonDev,
  db: Db,
  workflow: BenchWorkflow,
  connections: number,
  history: number,
): Promise<Measurement> {
  await settle(db);
  const started = Date.now();
  const before = cpuMsByRole(baton.pids());
  const load = await runLoad(tool, loadOptions(workflow, connections, settings.durationS));
  const after = cpuMsByRole(baton.pids());
  const wallMs = Date.now() - started;
  const cpuMs = perRole((role) => after[role] - before[role]);
  const m: Measurement = { history, workflow: workflow.name, mode: workflow.mode, connections, load, cpuMs, wallMs };
  log(
    `  history ${history}, ${workflow.name} ${workflow.mode} c=${connections}: ${load.rps.toFixed(1)} req/s, ` +
      `p50 ${load.p50Ms.toFixed(0)} ms, p99 ${load.p99Ms.toFixed(0)} ms, CPU ${cpuPerRequest(m).toFixed(0)} ms/req, ` +
      `errors ${load.non2xx} non-2xx / ${load.socketErrors} socket / ${load.timeouts} timeouts`,
  );
  return m;
}

function loadOptions(workflow: BenchWorkflow, connections: number, durationS: number) {
  return { url: workflow.hookUrl, body: '{"x":1}', connections, durationS, timeoutS: TIMEOUT_S, windowS: durationS };
}

const totalCpu = (m: Measurement) => sum(Object.values(m.cpuMs));
const cpuPerRequest = (m: Measurement) => (m.load.requests > 0 ? totalCpu(m) / m.load.requests : NaN);
const perRequest = (ms: number, m: Measurement) => (m.load.requests > 0 ? ms / m.load.requests : NaN);

/** The main table's figures: header, value of one measurement, digits. */
const FIGURES: Array<[string, (m: Measurement) => number, number]> = [
  ['req/s', (m) => m.load.rps, 1],
  ['p50 ms', (m) => m.load.p50Ms, 0],
  ['p99 ms', (m) => m.load.p99Ms, 0],
  ['CPU ms/req', cpuPerRequest, 0],
  ['CPU cores busy', (m) => totalCpu(m) / m.wallMs, 2],
];

function report(measurements: Measurement[], levels: Level[], modes: BenchMode[], setup: string): void {
  const cells = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = [m.history, m.workflow, m.connections].join('\t');
    cells.set(key, [...(cells.get(key) ?? []), m]);
  }
  const rows: string[][] = [];
  const split: string[][] = [];
  for (const [key, all] of cells) {
    const [history, workflow, connections] = key.split('\t');
    for (const mode of ['standard', 'express'] as BenchMode[]) {
      const ms = all.filter((m) => m.mode === mode);
      const head = [Number(history).toLocaleString('en-US'), workflow, mode, connections];
      if (!modes.includes(mode)) {
        rows.push([...head, ...FIGURES.map(() => 'n/a'), 'n/a']);
        continue;
      }
      const errors = ms.reduce((sum, m) => sum + m.load.non2xx + m.load.socketErrors + m.load.timeouts, 0);
      rows.push([...head, ...FIGURES.map(([, value, digits]) => figure(ms.map(value), digits)), String(errors)]);
      const byRole = PROCESS_ROLES.map((role) =>
        figure(
          ms.map((m) => perRequest(m.cpuMs[role], m)),
          0,
        ),
      );
      split.push([...head, ...byRole]);
    }
  }
  const how = `${settings.durationS} s per cell, ${settings.reps} rep(s), ${TIMEOUT_S} s timeout, ${setup}`;
  const head = ['stored runs', 'workflow', 'mode', 'c'];
  console.log(`\nWebhook benchmark (${how}); CPU summed over every process of Baton`);
  console.log(markdownTable([...head, ...FIGURES.map(([header]) => header), 'errors'], rows));
  console.log('\nCPU ms per request by process (launcher = baton dev, its watchdog and what they reaped)');
  console.log(markdownTable([...head, ...PROCESS_ROLES], split));
  console.log(
    `\nCPU cores busy with no load, before the level's measurements (quiet: under ${QUIET_CORES} cores for ` +
      `${(QUIET_SAMPLES * SAMPLE_MS) / 1000} s, waited for after seeding and warm-up)`,
  );
  const idle = levels.map((l) => [
    l.history.toLocaleString('en-US'),
    ...[...PROCESS_ROLES.map((role) => l.idle[role]), sum(Object.values(l.idle))].map((v) => v.toFixed(2)),
    l.quietAfterS === undefined ? 'never' : `${l.quietAfterS.toFixed(0)} s`,
  ]);
  console.log(markdownTable(['stored runs', ...PROCESS_ROLES, 'all', 'quiet after'], idle));
  const seeds = levels.flatMap((l) => (l.seeded ? [l.seeded] : []));
  console.log(
    seeds.length
      ? `\nHistory: ${seeds.join('; ')}. Temporal's own history holds only this benchmark's runs.`
      : '\nHistory: nothing seeded.',
  );
  console.log(`Load average at the end: ${loadAverage()}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).stack ?? error);
    process.exit(1);
  },
);
