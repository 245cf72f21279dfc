// Runs compiled test documents on a test file's own task queues and database, with a worker process of its own.
import { writeFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { format, resolveConfig } from 'prettier';
import { connectDb, disconnectDb } from '../db/connection';
import { listSteps, type StepView } from '../db/steps';
import { compilePlan } from '../ir/compile';
import type { DocumentNode, Plan, WorkflowDocument } from '../ir/types';
import { registry } from '../nodes/index';
import { closeTemporalClient, getTemporalClient, startRun, waitForRun } from '../temporal/client';
import type { RunGraphInput, RunGraphResult } from '../workflows/messages';
import { REPO_ROOT, startWorker, testDatabaseUri, type ChildHandle, type StartWorkerOptions } from './stack';

/** A node of a test document: `type` is a node folder; version, position and empty params are filled in. */
export interface DocNode {
  id: string;
  type: string;
  name?: string;
  version?: number;
  params?: Record<string, unknown>;
  policy?: DocumentNode['policy'];
}

/** Edges as `['a', 'b']` (first output port to first input port) or `['a:true', 'b:input2']`. */
export function workflowDoc(nodes: DocNode[], edges: Array<[string, string]>): WorkflowDocument {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const port = (ref: string, side: 'outputs' | 'inputs') => {
    const [id, explicit] = ref.split(':');
    const node = byId.get(id);
    if (!node) throw new Error(`workflowDoc: edge refers to unknown node "${id}"`);
    const spec = registry.latest(node.type);
    const fallback = spec?.[side][0]?.id;
    if (!explicit && !fallback) throw new Error(`workflowDoc: ${node.type} has no ${side} port for edge end "${ref}"`);
    return { id, port: explicit ?? fallback! };
  };
  return {
    nodes: nodes.map((n, i) => ({
      id: n.id,
      type: n.type,
      version: n.version ?? registry.latest(n.type)?.version ?? 1,
      name: n.name ?? n.id,
      position: { x: i * 200, y: 0 },
      params: n.params ?? {},
      ...(n.policy ? { policy: n.policy } : {}),
    })),
    edges: edges.map(([from, to], i) => {
      const source = port(from, 'outputs');
      const target = port(to, 'inputs');
      return { id: `e${i}`, source: source.id, sourcePort: source.port, target: target.id, targetPort: target.port };
    }),
    settings: {},
  };
}

/** Compiles with the real compiler; a test document that does not compile is a broken test. */
export function compileOrThrow(doc: WorkflowDocument, workflowId = 'wf-test', name = workflowId): Plan {
  const compiled = compilePlan(doc, { workflowId, name });
  if (!compiled.ok)
    throw new Error(
      `Test document does not compile:\n${compiled.diagnostics.map((d) => `${d.nodeId ?? ''} ${d.code}: ${d.message}`).join('\n')}`,
    );
  return compiled.plan;
}

export interface RunHarness {
  dbUri: string;
  queuePrefix: string;
  /** Spawns a worker process for this harness's queues and database. */
  startWorker(opts?: Partial<StartWorkerOptions>): Promise<ChildHandle>;
  /** Starts a run of `plan`; returns its run id. */
  start(plan: Plan, trigger?: unknown, limits?: RunGraphInput['limits']): Promise<string>;
  /** Starts and waits: the result plus every step record. */
  run(
    plan: Plan,
    trigger?: unknown,
    timeoutMs?: number,
  ): Promise<{ runId: string; result: RunGraphResult; steps: StepView[] }>;
  /** SIGTERM to every worker started here (SIGKILL after 15 s); resolves once they are gone. */
  stopWorkers(): Promise<void>;
  /** With BATON_RECORD_HISTORIES=1, saves the run's history as a replay fixture (workflows/histories/<name>.json). */
  recordHistory(name: string, runId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One per test file: its own database and task-queue prefix, so files may run side by side. The test
 * process connects to the same database to read step records.
 */
export async function startRunHarness(name: string): Promise<RunHarness> {
  const dbUri = testDatabaseUri(`baton_test_${name}`);
  const queuePrefix = `t-${name}-${process.pid}-`;
  process.env.BATON_QUEUE_PREFIX = queuePrefix; // temporal/client reads it to name the run's queues
  await connectDb(dbUri);
  await mongoose.connection.db!.dropDatabase();
  const workers: ChildHandle[] = [];
  let counter = 0;
  const harness: RunHarness = {
    dbUri,
    queuePrefix,
    startWorker: async (opts) => {
      const worker = await startWorker({ queuePrefix, ...opts, env: { MONGODB_URI: dbUri, ...opts?.env } });
      workers.push(worker);
      return worker;
    },
    start: async (plan, trigger = {}, limits) => {
      const runId = `${name}-${process.pid}-${Date.now()}-${++counter}`;
      await startRun({ runId, plan, trigger, limits });
      return runId;
    },
    run: async (plan, trigger, timeoutMs = 45_000) => {
      const runId = await harness.start(plan, trigger);
      const result = await waitForRun(runId, timeoutMs);
      return { runId, result, steps: await listSteps(runId) };
    },
    recordHistory: async (fixture, runId) => {
      if (!process.env.BATON_RECORD_HISTORIES) return;
      const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
      // protobufjs's own JSON form (History.toJSON); workflows/replay.test.ts reads it back with History.fromObject.
      const file = `${REPO_ROOT}workflows/histories/${fixture}.json`;
      // Stack traces name the recording machine's paths and play no part in replay, so they are left out.
      const json = JSON.stringify(history, (key, value: unknown) => (key === 'stackTrace' ? '' : value));
      writeFileSync(file, await format(json, { parser: 'json', ...(await resolveConfig(file)) }));
    },
    stopWorkers: async () => {
      const stopping = workers.splice(0);
      for (const w of stopping) w.kill('SIGTERM');
      const force = setTimeout(() => stopping.forEach((w) => w.kill('SIGKILL')), 15_000);
      await Promise.all(stopping.map((w) => w.stopped));
      clearTimeout(force);
    },
    close: async () => {
      await harness.stopWorkers();
      await closeTemporalClient();
      await disconnectDb();
    },
  };
  return harness;
}
