// What a model call costs as a durable Baton step, against calling the same server directly, and how fast the
// embedded model generates on this machine (docs/decisions/053-agents.md).
//   npm run bench:agent
// - Overhead: an LLM node run against the scripted OpenAI-compatible server (test/fake-llm, real HTTP, streamed SSE)
//   next to the same request made directly with the provider. Reported: the direct call, the call as the activity
//   records it, the LLM node's step (start, call and finish activities) and the whole run.
// - Tokens/s: the embedded model (node-llama-cpp on this machine's CPU or GPU) directly and as an LLM node on the gpu
//   queue. The tiny model the tests generate by default; BENCH_GGUF=/path/to/model.gguf for a real one.
// Knobs: BENCH_REPS (20 calls per variant), BENCH_TOKENS (64 generated tokens per local call), BENCH_GGUF.
import { copyFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { callsOfRun } from '../db/agent-calls';
import { connectDb } from '../db/connection';
import { createCredential } from '../db/credentials';
import { createModel } from '../db/models';
import { listSteps } from '../db/steps';
import { createWorkflow } from '../db/workflows';
import { systemScope } from '../db/workspaces';
import { compilePlan } from '../ir/compile';
import { llamaProvider } from '../nodes/ai/providers/llama';
import { openaiProvider } from '../nodes/ai/providers/openai';
import { ensureTinyModel } from '../nodes/ai/providers/tiny-gguf';
import { closeTemporalClient, startRun, waitForRun } from '../temporal/client';
import { installQuietRuntime, runWorker } from '../temporal/worker';
import { launchFakeLlm, type Turn } from '../test/fake-llm/launch';
import { workflowDoc } from '../test/run-harness';
import { machineSummary } from './lib-report';
import { ensureServices } from './services';

const REPS = Number(process.env.BENCH_REPS ?? 20);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 64);
const PROMPT = 'Say hello to the new hire in one sentence.';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

async function main(): Promise<void> {
  installQuietRuntime();
  console.log(`[bench] ${machineSummary()}`);
  const stopServices = await ensureServices();
  const db = new URL(process.env.MONGODB_URI!);
  db.pathname = '/baton_bench_agent';
  process.env.MONGODB_URI = db.toString();
  process.env.BATON_QUEUE_PREFIX = `bench-agent-${process.pid}-`;
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'baton-bench-models-'));
  process.env.BATON_MODELS_DIR = modelsDir;
  const mongoose = await connectDb();
  await mongoose.connection.db!.dropDatabase();

  const fake = await launchFakeLlm('openai');
  const gguf = process.env.BENCH_GGUF ?? (await ensureTinyModel());
  await copyFile(gguf, path.join(modelsDir, path.basename(gguf)));

  const scope = systemScope(`ws_bench_agent_${process.pid}`);
  const workflow = await createWorkflow(scope, { name: 'Agent bench', ownerId: 'bench' });
  const credential = await createCredential(scope, {
    name: 'Scripted server',
    type: 'openai-compatible',
    values: { baseUrl: fake.url },
  });
  const remote = await createModel(scope, {
    name: 'scripted',
    provider: 'openai-compatible',
    model: 'scripted-1',
    credentialId: credential.id,
  });
  const local = await createModel(scope, { name: 'embedded', provider: 'local-gguf', model: path.basename(gguf) });

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const worker = runWorker({ queues: ['default', 'gpu'], onReady: ready, until: done });
  await Promise.race([isReady, worker]);

  const planFor = (modelId: string, maxTokens: number) => {
    const doc = workflowDoc(
      [
        { id: 'Start', type: 'manual-trigger' },
        { id: 'Ask', type: 'llm', params: { model: modelId, prompt: PROMPT, maxTokens } },
      ],
      [['Start', 'Ask']],
    );
    const compiled = compilePlan(doc, { workflowId: workflow.id, name: 'agent bench' });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('; '));
    return compiled.plan;
  };
  const runOnce = async (plan: ReturnType<typeof planFor>, rep: number) => {
    const runId = `bench-agent-${process.pid}-${rep}-${Date.now()}`;
    const t0 = performance.now();
    await startRun({ runId, plan, trigger: {} });
    const result = await waitForRun(runId, 600_000);
    const wall = performance.now() - t0;
    if (result.status !== 'succeeded') throw new Error(`Run ${runId} ${result.status}: ${result.error?.message}`);
    const [call] = (await callsOfRun(runId)).filter((c) => c.kind === 'model');
    const step = (await listSteps(runId)).find((s) => s.nodeId === 'Ask')!;
    return { wall, call, stepMs: step.durationMs ?? 0 };
  };

  // Overhead against the scripted server: one short streamed reply per call.
  const turns: Turn[] = Array.from({ length: 2 * REPS + 4 }, () => ({ kind: 'text', text: 'Welcome aboard!' }));
  await fake.script(turns);
  const target = { provider: 'openai-compatible' as const, model: 'scripted-1', baseUrl: fake.url, timeoutMs: 60_000 };
  const remotePlan = planFor(remote.id, 64);
  const direct: number[] = [];
  const recorded: number[] = [];
  const steps: number[] = [];
  const walls: number[] = [];
  for (let rep = -2; rep < REPS; rep++) {
    const t0 = performance.now();
    await openaiProvider.chat(target, { messages: [{ role: 'user', content: PROMPT }] });
    const directMs = performance.now() - t0;
    const baton = await runOnce(remotePlan, rep);
    if (rep < 0) continue; // warm-up: imports, connections, caches
    direct.push(directMs);
    recorded.push(baton.call.durationMs ?? 0);
    steps.push(baton.stepMs);
    walls.push(baton.wall);
  }
  console.log(`\nModel-call overhead against the scripted OpenAI-compatible server (${REPS} calls each, ms):`);
  console.table([
    { variant: 'direct provider call', median: median(direct).toFixed(1), 'min–max': spread(direct) },
    { variant: 'the call inside its activity', median: median(recorded).toFixed(1), 'min–max': spread(recorded) },
    { variant: 'LLM node step (3 activities)', median: median(steps).toFixed(1), 'min–max': spread(steps) },
    { variant: 'whole run (trigger → LLM node)', median: median(walls).toFixed(1), 'min–max': spread(walls) },
  ]);
  console.log(`Step overhead over a direct call: ${(median(steps) - median(direct)).toFixed(1)} ms (median).`);

  // Tokens per second of the embedded model.
  const localTarget = { provider: 'local-gguf' as const, model: gguf, timeoutMs: 600_000 };
  const localReps = Math.max(3, Math.min(REPS, 5));
  const directRates: number[] = [];
  const batonRates: number[] = [];
  const localPlan = planFor(local.id, TOKENS);
  for (let rep = -1; rep < localReps; rep++) {
    const reply = await llamaProvider.chat(localTarget, {
      messages: [{ role: 'user', content: PROMPT }],
      maxTokens: TOKENS,
      seed: rep + 10,
    });
    const baton = await runOnce(localPlan, 1000 + rep);
    if (rep < 0) continue;
    directRates.push(reply.usage.outputTokens / ((reply.computeMs ?? 1) / 1000));
    const usage = baton.call.usage!;
    batonRates.push(usage.outputTokens / ((baton.call.computeMs ?? baton.call.durationMs ?? 1) / 1000));
  }
  console.log(`\nEmbedded model ${path.basename(gguf)} (up to ${TOKENS} tokens per call, ${localReps} calls each):`);
  console.table([
    {
      variant: 'node-llama-cpp directly',
      'tokens/s median': median(directRates).toFixed(1),
      'min–max': spread(directRates),
    },
    {
      variant: 'LLM node on the gpu queue',
      'tokens/s median': median(batonRates).toFixed(1),
      'min–max': spread(batonRates),
    },
  ]);

  finish();
  await worker;
  await closeTemporalClient();
  await fake.stop();
  await stopServices();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error((err as Error).stack ?? err);
    process.exit(1);
  },
);
