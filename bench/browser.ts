// What a Browser node step costs next to the raw Playwright call, how many pages a minute a worker's pooled Chromium
// serves, and how much memory a browser worker holds after many runs (docs/decisions/054-browser-node.md).
//   npm run bench:browser
// The runs go through Temporal to a browser worker process of the bench's own (test/stack.ts startWorker, the way
// `baton worker --queues browser` runs), the interpreter on an in-process worker; the pages are the local test site.
// - Per-step overhead: one Browser node with 1 and with 1 + BENCH_STEPS `extractText` steps; the difference per step,
//   next to the step as the runner records it and the same Playwright call made in this process; with the default
//   trace recording and without it.
// - Pages per minute: BENCH_PAGES runs (load a page, extract its table), BENCH_CONCURRENCY at a time, against the
//   same work done here with raw Playwright on one shared browser (a context per page, as the pool does) and with a
//   browser launched per page (no pool).
// - RSS: the worker process and its Chromium processes (VmRSS summed, so pages shared between Chromium's processes
//   count once per process) when idle, after its first run and after 100 more.
// Knobs: BENCH_REPS (10 per-step pairs; 3 throughput reps), BENCH_STEPS (80), BENCH_PAGES (20), BENCH_CONCURRENCY (4),
// BENCH_RSS_RUNS (100).
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { connectDb } from '../db/connection';
import { listSteps } from '../db/steps';
import { createWorkflow } from '../db/workflows';
import { systemScope } from '../db/workspaces';
import type { Plan } from '../ir/types';
import { CHROMIUM_ARGS, chromiumPath } from '../nodes/browser/chromium-launch';
import { extractTable } from '../nodes/browser/extract';
import type { BrowserStep } from '../nodes/browser/spec';
import { closeTemporalClient, startRun, waitForRun } from '../temporal/client';
import { installQuietRuntime, runWorker } from '../temporal/worker';
import { startBrowserSite, type BrowserSite } from '../test/browser-site/server';
import { chromiumBelow, residentKib } from '../test/chromium-processes';
import { compileOrThrow, workflowDoc } from '../test/run-harness';
import { codeModeStartup } from './browser-code';
import { startWorker, type ChildHandle } from '../test/stack';
import { figure, machineSummary, markdownTable } from './lib-report';
import { ensureServices } from './services';

const REPS = Number(process.env.BENCH_REPS ?? 10);
const PAGES = Number(process.env.BENCH_PAGES ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RSS_RUNS = Number(process.env.BENCH_RSS_RUNS ?? 100);
/** extractText steps in the long node (with its goto, at most MAX_STEPS); the short node has one. */
const STEPS = Number(process.env.BENCH_STEPS ?? 80);
const THROUGHPUT_REPS = Math.max(1, Math.min(REPS, 3));
/** The step whose cost is measured: short, and the same call the runner makes for extractText. */
const TEXT_TARGET = '#people';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `jobs` tasks at most `width` at a time; resolves with the wall time in ms. */
async function inLanes(jobs: number, width: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < jobs) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs) }, lane));
  return performance.now() - t0;
}

const perMinute = (pages: number, ms: number) => (pages / ms) * 60_000;

interface Bench {
  site: BrowserSite;
  worker: ChildHandle;
  workflowId: string;
}

function browserPlan(bench: Bench, steps: BrowserStep[], extra: Record<string, unknown> = {}): Plan {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Browse', type: 'browser', params: { steps, ...extra } },
      ],
      [['Start', 'Browse']],
    ),
    bench.workflowId,
  );
}

let runCounter = 0;
/** Runs a plan; returns the Browser node's step record (its duration and output). */
async function runBrowser(plan: Plan) {
  const runId = `bench-browser-${process.pid}-${++runCounter}`;
  await startRun({ runId, plan, trigger: {} });
  const result = await waitForRun(runId, 120_000);
  if (result.status !== 'succeeded') throw new Error(`Run ${runId} ${result.status}: ${result.error?.message}`);
  const step = (await listSteps(runId)).find((s) => s.nodeId === 'Browse')!;
  return { durationMs: step.durationMs ?? 0, output: step.output as { steps: Array<{ durationMs: number }> } };
}

const textSteps = (site: BrowserSite, n: number): BrowserStep[] => [
  { action: 'goto', target: `${site.url}/people` },
  ...Array.from({ length: n }, (_, i): BrowserStep => ({ action: 'extractText', target: TEXT_TARGET, name: `t${i}` })),
];

/** The same call as the runner's extractText, timed call by call in this process; the median of `calls`. */
async function rawStepMs(browser: Browser, site: BrowserSite, calls: number): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/people`);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    (await page.locator(TEXT_TARGET).innerText()).replace(/\s+/g, ' ').trim();
    times.push(performance.now() - t0);
  }
  await context.close();
  return median(times);
}

async function perStepOverhead(bench: Bench, browser: Browser): Promise<void> {
  // The default records a Playwright trace (kept only when a step fails); `trace: never` shows what recording costs.
  const variants = [
    { label: 'default (trace recorded)', extra: {} },
    { label: 'trace: never', extra: { trace: 'never' } },
  ].map((v) => ({
    ...v,
    one: browserPlan(bench, textSteps(bench.site, 1), v.extra),
    many: browserPlan(bench, textSteps(bench.site, 1 + STEPS), v.extra),
    marginal: [] as number[],
    recorded: [] as number[],
  }));
  const raw: number[] = [];
  for (let rep = -2; rep < REPS; rep++) {
    for (const v of variants) {
      const a = await runBrowser(v.one);
      const b = await runBrowser(v.many);
      if (rep < 0) continue; // warm-up: the pooled browser's launch, imports, caches
      v.marginal.push((b.durationMs - a.durationMs) / STEPS);
      v.recorded.push(median(b.output.steps.slice(1).map((s) => s.durationMs)));
    }
    const direct = await rawStepMs(browser, bench.site, STEPS);
    if (rep >= 0) raw.push(direct);
  }
  const ratio = (xs: number[]) => `${(median(xs) / median(raw)).toFixed(1)}×`;
  console.log(
    `\nPer-step overhead: extractText "${TEXT_TARGET}" on a local page (${REPS} reps, ms per step; the runner ` +
      `records whole ms):`,
  );
  console.log(
    markdownTable(
      ['variant', 'ms per step', 'vs raw Playwright'],
      [
        ['raw Playwright call, in process', figure(raw, 2), '1.0×'],
        ...variants.flatMap((v) => [
          [`${v.label}: step as the runner records it`, figure(v.recorded, 2), ratio(v.recorded)],
          [
            `${v.label}: Browser node, (${1 + STEPS} steps − 1 step) / ${STEPS}`,
            figure(v.marginal, 2),
            ratio(v.marginal),
          ],
        ]),
      ],
    ),
  );
}

async function pagesPerMinute(bench: Bench, browser: Browser): Promise<void> {
  const { chromium } = await import('playwright-core');
  const url = `${bench.site.url}/people`;
  const steps: BrowserStep[] = [
    { action: 'goto', target: url },
    { action: 'extractTable', target: '#people', name: 'people' },
  ];
  const plan = browserPlan(bench, steps);
  const untraced = browserPlan(bench, steps, { trace: 'never' });
  const loadAndExtract = async (b: Browser) => {
    const context = await b.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await extractTable(page.locator('#people'), 10_000);
    await context.close();
  };
  const variants: Array<[string, () => Promise<void>]> = [
    ['Browser node runs, pooled Chromium', () => runBrowser(plan).then(() => undefined)],
    ['Browser node runs, pooled Chromium, trace: never', () => runBrowser(untraced).then(() => undefined)],
    ['raw Playwright, one browser, a context per page', () => loadAndExtract(browser)],
    [
      'raw Playwright, a browser launched per page',
      async () => {
        const own = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
        await loadAndExtract(own).finally(() => own.close());
      },
    ],
  ];
  const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let rep = 0; rep < THROUGHPUT_REPS; rep++)
    for (const [name, job] of variants) rates.get(name)!.push(perMinute(PAGES, await inLanes(PAGES, CONCURRENCY, job)));
  const pooled = median(rates.get(variants[0][0])!);
  console.log(
    `\nPages per minute: ${PAGES} pages (load, extract a table), ${CONCURRENCY} at a time, ${THROUGHPUT_REPS} reps:`,
  );
  console.log(
    markdownTable(
      ['variant', 'pages/min', 'Browser node ÷ variant'],
      [...rates].map(([name, xs]) => [name, figure(xs, 0), (pooled / median(xs)).toFixed(2)]),
    ),
  );
}

/** The worker's own RSS and its Chromium processes' (summed), in MB. */
function workerMemory(worker: ChildHandle) {
  const chromiumPids = chromiumBelow([worker.pid]).all;
  const kib = (pids: number[]) => pids.reduce((sum, pid) => sum + residentKib(pid), 0);
  return {
    worker: kib([worker.pid]) / 1024,
    chromium: kib(chromiumPids) / 1024,
    processes: chromiumPids.length,
  };
}

async function residentMemory(bench: Bench, idle: ReturnType<typeof workerMemory>): Promise<void> {
  const plan = browserPlan(bench, [
    { action: 'goto', target: `${bench.site.url}/people` },
    { action: 'extractTable', target: '#people', name: 'people' },
  ]);
  await runBrowser(plan);
  const warm = workerMemory(bench.worker);
  await inLanes(RSS_RUNS, CONCURRENCY, () => runBrowser(plan).then(() => undefined));
  await new Promise((r) => setTimeout(r, 2_000)); // closed contexts' renderers exit a moment after the close
  const after = workerMemory(bench.worker);
  const row = (label: string, m: typeof idle) => [
    label,
    m.worker.toFixed(0),
    `${m.chromium.toFixed(0)} (${m.processes})`,
    (m.worker + m.chromium).toFixed(0),
  ];
  console.log(`\nBrowser worker memory (VmRSS, MB; Chromium summed over its processes):`);
  console.log(
    markdownTable(
      ['when', 'worker process', 'Chromium (processes)', 'total'],
      [
        row('idle, before any Browser run', idle),
        row('after its first run', warm),
        row(`after ${RSS_RUNS} more runs`, after),
      ],
    ),
  );
  console.log(
    `Growth over ${RSS_RUNS} runs: ${(after.worker + after.chromium - warm.worker - warm.chromium).toFixed(0)} MB.`,
  );
}

async function main(): Promise<void> {
  installQuietRuntime();
  console.log(`[bench] ${machineSummary()}`);
  const stopServices = await ensureServices();
  const db = new URL(process.env.MONGODB_URI!);
  db.pathname = '/baton_bench_browser';
  process.env.MONGODB_URI = db.toString();
  const queuePrefix = `bench-browser-${process.pid}-`;
  process.env.BATON_QUEUE_PREFIX = queuePrefix;
  const mongoose = await connectDb();
  await mongoose.connection.db!.dropDatabase();
  const site = await startBrowserSite();

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const interpreter = runWorker({ queues: ['default'], onReady: ready, until: done });
  await Promise.race([isReady, interpreter]);
  // The local site is on loopback, which a worker refuses unless its administrator allows it.
  const worker = await startWorker({ queuePrefix, queues: ['browser'], env: { BATON_HTTP_ALLOW_HOSTS: '127.0.0.1' } });
  const idle = workerMemory(worker);
  const scope = systemScope(`ws_bench_browser_${process.pid}`);
  const bench: Bench = {
    site,
    worker,
    workflowId: (await createWorkflow(scope, { name: 'Browser bench', ownerId: 'bench' })).id,
  };

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  try {
    await perStepOverhead(bench, browser);
    await pagesPerMinute(bench, browser);
    await residentMemory(bench, idle);
    await codeModeStartup();
  } finally {
    await browser.close();
    worker.kill('SIGTERM');
    await worker.stopped;
    finish();
    await interpreter;
    await closeTemporalClient();
    await site.close();
    await stopServices();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
