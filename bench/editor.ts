// How the workflow editor holds up as workflows grow: open, pan, drag, select and save with 50–500 nodes in
// headless Chromium against the production build. Prints figures; it never passes or fails on timing.
//   npx tsx bench/editor.ts     (BENCH_SIZES=50,100,250,500 BENCH_REPS=3 by default; BENCH_PROFILE=<dir> also
//                                writes a CPU profile of each drag there and prints its costliest functions)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { buildAppIfStale } from '../bin/lib/app-build';
import { resolveHome } from '../temporal/services/home';
import { defaultLog } from '../temporal/services/installer';
import { freePort, startWeb, testDatabaseUri, type ChildHandle } from '../test/stack';
import { writeProfileSummary } from './cpu-profile';
import { editorBenchDocument } from './editor-documents';
import {
  emptyPanePoint,
  installPageHelpers,
  nodesOnScreen,
  openEditor,
  recordFrames,
  saveRoundTrip,
  selectNode,
  sweep,
} from './editor-page';
import { ensureServices } from './services';
import { CHROMIUM_ARGS, chromiumPath } from '../temporal/services/chromium-launch';

const SIZES = (process.env.BENCH_SIZES ?? '50,100,250,500').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const PROFILE_DIR = process.env.BENCH_PROFILE;
const GESTURE_MS = 2_000;
const LONG_FRAME_MS = 50;
const OWNER = { email: 'bench@baton.test', name: 'Bench', password: 'bench-editor-password' };

interface Figures {
  nodes: number;
  openMs: number[];
  pan: number[];
  drag: number[];
  panCost: MainThread;
  dragCost: MainThread;
  selectMs: number[];
  saveMs: number[];
  heapMb: number;
}

async function api<T>(url: string, route: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Main-thread busy time in ms: all tasks, and of that JavaScript and style + layout. */
interface MainThread {
  task: number;
  script: number;
  layout: number;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Runs `action` and adds the main-thread time it took to `into` (CDP Performance metrics are in seconds). */
async function timed(cdp: CDPSession, into: MainThread, action: () => Promise<void>): Promise<void> {
  const before = await metrics(cdp);
  await action();
  const after = await metrics(cdp);
  const delta = (name: string) => (after[name] - before[name]) * 1000;
  into.task += delta('TaskDuration');
  into.script += delta('ScriptDuration');
  into.layout += delta('RecalcStyleDuration') + delta('LayoutDuration');
}

async function measure(page: Page, cdp: CDPSession, url: string, workflowId: string, n: number, f: Figures) {
  f.openMs.push(await openEditor(page, `${url}/workflows/${workflowId}`, n));
  await page.waitForTimeout(500); // let fitView and the last node measurements settle
  await cdp.send('HeapProfiler.collectGarbage');
  f.heapMb = (await metrics(cdp)).JSHeapUsedSize / 2 ** 20;

  const from = await emptyPanePoint(page);
  await timed(cdp, f.panCost, async () => {
    f.pan.push(...(await recordFrames(page, async () => void (await sweep(page, from, 300, GESTURE_MS)))));
  });

  const onScreen = await nodesOnScreen(page);
  const dragged = onScreen.find((node) => node.name.startsWith('HTTP request')) ?? onScreen[0];
  if (PROFILE_DIR) await cdp.send('Profiler.start');
  await timed(cdp, f.dragCost, async () => {
    f.drag.push(...(await recordFrames(page, async () => void (await sweep(page, dragged, 300, GESTURE_MS)))));
  });
  if (PROFILE_DIR) {
    const { profile } = await cdp.send('Profiler.stop');
    writeProfileSummary(profile, path.join(PROFILE_DIR, `drag-${n}.cpuprofile`), `drag, ${n} nodes`);
  }

  await page.waitForTimeout(500);
  const others = (await nodesOnScreen(page)).filter((node) => node.name !== dragged.name).slice(0, 5);
  for (const node of others) f.selectMs.push(await selectNode(page, node));
  for (let i = 0; i < 3; i++) f.saveMs.push(await saveRoundTrip(page, others[i % others.length]));
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const home = mkdtempSync(path.join(tmpdir(), 'baton-bench-editor-'));
  const mongoUri = testDatabaseUri('baton_bench_editor');
  let web: ChildHandle | undefined;
  let browser: Browser | undefined;
  try {
    const conn = await mongoose.createConnection(mongoUri).asPromise();
    await conn.dropDatabase(); // the benchmark's own database: the owner is created afresh
    await conn.close();
    const logsDir = path.join(resolveHome(), 'logs');
    mkdirSync(logsDir, { recursive: true });
    await buildAppIfStale({ log: defaultLog, logsDir });

    const started = await startWeb({
      port: await freePort(),
      env: {
        NODE_ENV: 'production',
        MONGODB_URI: mongoUri,
        BATON_HOME: home,
        BATON_QUEUE_PREFIX: `bench-${process.pid}-`,
      },
    });
    web = started;
    const { token } = await api<{ token: string }>(started.url, '/api/setup', OWNER);
    const workflows: Array<{ n: number; id: string }> = [];
    for (const n of SIZES) {
      const { workflow } = await api<{ workflow: { id: string } }>(
        started.url,
        '/api/workflows',
        { name: `Editor bench ${n} nodes`, document: editorBenchDocument(n) },
        token,
      );
      workflows.push({ n, id: workflow.id });
    }

    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await installPageHelpers(context);
    const page = await context.newPage();
    await page.goto(`${started.url}/login`);
    await page.fill('#email', OWNER.email);
    await page.fill('#password', OWNER.password);
    await Promise.all([page.waitForURL(`${started.url}/`), page.press('#password', 'Enter')]);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (PROFILE_DIR) {
      mkdirSync(PROFILE_DIR, { recursive: true });
      await cdp.send('Profiler.enable');
    }

    const results: Figures[] = [];
    for (const { n, id } of workflows) {
      const f: Figures = {
        nodes: n,
        openMs: [],
        pan: [],
        drag: [],
        panCost: { task: 0, script: 0, layout: 0 },
        dragCost: { task: 0, script: 0, layout: 0 },
        selectMs: [],
        saveMs: [],
        heapMb: 0,
      };
      for (let rep = 0; rep < REPS; rep++) await measure(page, cdp, started.url, id, n, f);
      results.push(f);
      process.stderr.write(`[bench] ${n} nodes measured\n`);
    }
    report(results);
  } finally {
    await browser?.close();
    if (web) {
      web.kill();
      await web.stopped;
    }
    await stopServices();
    rmSync(home, { recursive: true, force: true });
  }
}

function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 100 ? 1 : 0) : '–');
const busy = (cost: MainThread) => [cost.task, cost.script, cost.layout].map((v) => (v / REPS).toFixed(0)).join(' / ');
const frames = (values: number[]) =>
  [
    ms(quantile(values, 0.5)),
    ms(quantile(values, 0.95)),
    ms(Math.max(...values)),
    (values.filter((v) => v > LONG_FRAME_MS).length / REPS).toFixed(REPS > 1 ? 1 : 0),
  ].join(' / ');

function report(results: Figures[]): void {
  console.log(
    [
      `\nThe editor with N nodes: production build, headless Chromium 1440×900 (software rendering), ${REPS} repetition(s).`,
      `frames: requestAnimationFrame intervals during a ${GESTURE_MS / 1000} s gesture, ms: median / p95 / max / frames over ${LONG_FRAME_MS} ms per gesture.`,
      'busy: main-thread ms during the gesture: all tasks / JavaScript / style + layout.',
      'A drag starts on an unselected node, so it includes selecting it and showing it in the inspector.',
      'open: navigation until every node is on the canvas; select: click until the inspector shows the node;',
      'save: Ctrl+S until saved, server compile and write included (medians). heap: JS heap after opening, after a GC.',
    ].join('\n'),
  );
  console.table(
    results.map((f) => ({
      nodes: f.nodes,
      'open ms': ms(quantile(f.openMs, 0.5)),
      'pan frames': frames(f.pan),
      'pan busy': busy(f.panCost),
      'drag frames': frames(f.drag),
      'drag busy': busy(f.dragCost),
      'select ms': ms(quantile(f.selectMs, 0.5)),
      'save ms': ms(quantile(f.saveMs, 0.5)),
      'heap MB': f.heapMb.toFixed(1),
    })),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
