// The embedded model in real runs: a tiny random-weight llama GGUF the test writes itself (nothing is downloaded),
// registered as a local model, called by an LLM node on the gpu queue through node-llama-cpp on this machine's CPU.
// Random weights say nothing sensible, but the grammar still holds the answer to the output schema.
import { mkdtemp, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { callsOfRun } from '../db/agent-calls';
import { createModel } from '../db/models';
import { listSteps } from '../db/steps';
import { waitForRun } from '../temporal/client';
import { ensureTinyModel } from '../nodes/ai/providers/tiny-gguf';
import { createApprovalWorld, type ApprovalWorld } from '../test/approval-world';
import { startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import type { AgentOutput } from '../activities';

let h: RunHarness;
let w: ApprovalWorld;
let modelId: string;

beforeAll(async () => {
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'baton-local-models-'));
  const tiny = await ensureTinyModel();
  await copyFile(tiny, path.join(modelsDir, 'tiny.gguf'));
  h = await startRunHarness('agents_local');
  w = await createApprovalWorld();
  // Only the gpu worker can reach the model file: the default worker runs the workflow and bookkeeping.
  await h.startWorker({ queues: ['default'], env: { BATON_MODELS_DIR: '/nonexistent' } });
  await h.startWorker({ queues: ['gpu'], env: { BATON_MODELS_DIR: modelsDir } });
  process.env.BATON_MODELS_DIR = modelsDir;
  modelId = (
    await createModel(w.scope, {
      name: 'tiny',
      provider: 'local-gguf',
      model: 'tiny.gguf',
      prices: { inputPerMTok: 0, outputPerMTok: 0, perGpuSecond: 0.5 },
    })
  ).id;
}, 180_000);

afterAll(async () => {
  await h?.close();
});

test('an LLM node on the embedded model answers JSON that parses and matches its schema', async () => {
  const schema = {
    type: 'object',
    properties: {
      team: { type: 'string', enum: ['people', 'it', 'finance'] },
      urgent: { type: 'boolean' },
      code: { type: 'string', maxLength: 4 },
    },
    required: ['team', 'urgent', 'code'],
    additionalProperties: false,
  };
  const doc = workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      {
        id: 'Route',
        type: 'llm',
        params: {
          model: modelId,
          prompt: 'Which team handles {{ $input.ask }}?',
          output: 'json',
          schema,
          maxTokens: 96,
        },
      },
    ],
    [['Start', 'Route']],
  );
  const runId = await w.startRun(doc, { ask: 'a laptop' });
  const result = await waitForRun(runId, 400_000);
  expect(result.status).toBe('succeeded');
  const step = (await listSteps(runId)).find((s) => s.nodeId === 'Route')!;
  const answer = (step.output as AgentOutput).answer as { team: string; urgent: boolean; code: string };
  expect(['people', 'it', 'finance']).toContain(answer.team);
  expect(typeof answer.urgent).toBe('boolean');
  expect(answer.code.length).toBeLessThanOrEqual(4);
  expect(Object.keys(answer).sort()).toEqual(['code', 'team', 'urgent']);
  const [call] = await callsOfRun(runId);
  expect(call).toMatchObject({ kind: 'model', provider: 'local-gguf', status: 'succeeded' });
  expect(call.usage!.inputTokens).toBeGreaterThan(0);
  expect(call.usage!.outputTokens).toBeGreaterThan(0);
  // Local models are priced by compute time: the cost is the GPU-seconds at $0.50 a second.
  expect(call.computeMs).toBeGreaterThan(0);
  expect(call.costUsd).toBeCloseTo((call.computeMs! / 1000) * 0.5, 10);
}, 420_000);
