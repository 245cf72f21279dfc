// What a Browser node in code mode costs to start its script: the whole node (a context on the pooled Chromium, the
// guard proxy, the script's child process, a one-line script) with a child forked for the run (cold, as before the
// warm child) and with the warm child forked ahead (nodes/browser/code/warm-child.ts), in this process.
//   npx tsx bench/browser-code.ts        (also run at the end of `npm run bench:browser`)
// Knobs: BENCH_CODE_RUNS (10 per kind).
import { performance } from 'node:perf_hooks';
import { closeBrowserPool } from '../nodes/browser/pool';
import { dropWarmChild } from '../nodes/browser/code/warm-child';
import { run } from '../nodes/browser/run';
import { makeRunContext } from '../nodes/testing';
import { figure, machineSummary, markdownTable } from './lib-report';

const RUNS = Number(process.env.BENCH_CODE_RUNS ?? 10);
/** Time for the next warm child to be forked and loaded between runs (the gap between runs a worker usually has). */
const SETTLE_MS = 2_000;

const params = { mode: 'code', code: 'return 1 + 1;', steps: [], screenshots: 'none', trace: 'never' };

async function nodeMs(): Promise<number> {
  const started = performance.now();
  const out = (await run(makeRunContext({}), params as unknown as Parameters<typeof run>[1], undefined)) as {
    data: unknown;
  };
  if (out.data !== 2) throw new Error(`the script returned ${JSON.stringify(out.data)}, not 2`);
  return performance.now() - started;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function codeModeStartup(): Promise<void> {
  await nodeMs(); // Chromium's first launch, not counted
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await dropWarmChild();
    cold.push(await nodeMs());
    await pause(SETTLE_MS);
    warm.push(await nodeMs());
  }
  console.log(`\nBrowser code mode, one-line script, whole node (ms, ${RUNS} runs each):`);
  console.log(
    markdownTable(
      ['child', 'ms per node'],
      [
        ['forked for the run (cold)', figure(cold, 0)],
        ['forked ahead (warm)', figure(warm, 0)],
      ],
    ),
  );
  await dropWarmChild();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`[bench] ${machineSummary()}`);
  codeModeStartup()
    .then(() => closeBrowserPool())
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
}
