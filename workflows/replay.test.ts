// Replays recorded run histories (workflows/histories/*.json) against the current interpreter. A change
// that would make a running workflow take a different path fails here with a non-determinism error;
// such changes belong behind `patched()`. Refresh the corpus with
// `BATON_RECORD_HISTORIES=1 … jest workflows/interpreter.test.ts workflows/durability.test.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../temporal/worker';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  workflowBundle = await bundleWorkflows();
}, 120_000);

test('the corpus holds recorded histories', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test('every recorded history replays without non-determinism', async () => {
  // Fixtures are protobufjs JSON (what `History.toJSON()` writes; see test/run-harness.ts `recordHistory`).
  const histories = files.map((file) => ({
    workflowId: file,
    history: proto.temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(dir + file, 'utf8')) as Record<string, unknown>,
    ),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
}, 120_000);
