// The peers' benchmark workflows (/work/shared/peers/README.md), created and published in a running Baton through
// its REST API: POST {"x":1} → Webhook (answers with the run's output) → N Set fields (fI = I) → Code (sum).
import { compilePlan } from '../ir/compile';
import type { WorkflowDocument, WorkflowSettings } from '../ir/types';

/** Set-fields nodes per workflow; the names are the peers' (bench5 has 3 Set nodes, so 5 nodes in all). */
export const BENCH_SIZES: Record<string, number> = { bench5: 3, bench20: 20 };

export type BenchMode = 'standard' | 'express';

export interface BenchWorkflow {
  name: string;
  mode: BenchMode;
  setNodes: number;
  id: string;
  hookUrl: string;
}

export function webhookBenchDocument(name: string, setNodes: number, settings: WorkflowSettings): WorkflowDocument {
  const nodes: WorkflowDocument['nodes'] = [
    {
      id: 'hook',
      type: 'webhook-trigger',
      version: 1,
      name: 'Webhook',
      position: { x: 0, y: 0 },
      params: { path: name, method: 'POST', waitForCompletion: true },
    },
  ];
  const edges: WorkflowDocument['edges'] = [];
  let previous = 'hook';
  for (let i = 1; i <= setNodes; i++) {
    nodes.push({
      id: `f${i}`,
      type: 'set-fields',
      version: 1,
      name: `Set f${i}`,
      position: { x: 200 * i, y: 0 },
      params: { fields: { [`f${i}`]: i }, keepInput: true },
    });
    edges.push({ id: `e${i}`, source: previous, sourcePort: 'out', target: `f${i}`, targetPort: 'in' });
    previous = `f${i}`;
  }
  const sum = ['input.body.x', ...Array.from({ length: setNodes }, (_, i) => `input.f${i + 1}`)].join(' + ');
  nodes.push({
    id: 'code',
    type: 'code',
    version: 1,
    name: 'Sum',
    position: { x: 200 * (setNodes + 1), y: 0 },
    params: { code: `return { sum: ${sum}, n: ${setNodes} };` },
  });
  edges.push({ id: 'ecode', source: previous, sourcePort: 'out', target: 'code', targetPort: 'in' });
  return { nodes, edges, settings };
}

/** What a correct run answers to {"x":1}. */
export function expectedAnswer(setNodes: number): { sum: number; n: number } {
  return { sum: 1 + (setNodes * (setNodes + 1)) / 2, n: setNodes };
}

/** The workflow settings that ask for express mode (BENCH_EXPRESS_SETTINGS, JSON). */
export function expressSettings(): WorkflowSettings {
  const text = process.env.BENCH_EXPRESS_SETTINGS ?? '{"mode":"express"}';
  try {
    return JSON.parse(text) as WorkflowSettings;
  } catch {
    throw new Error(`BENCH_EXPRESS_SETTINGS is not JSON: ${text}; write e.g. '{"mode":"express"}'.`);
  }
}

/**
 * Whether this checkout has express mode: the compiler accepts the express settings and they change the plan.
 * A setting the document schema does not know is dropped silently, so acceptance alone proves nothing.
 */
export function expressModeAvailable(): boolean {
  const compile = (settings: WorkflowSettings) =>
    compilePlan(webhookBenchDocument('probe', 1, settings), { workflowId: 'probe', name: 'probe' });
  const standard = compile({});
  const express = compile(expressSettings());
  return standard.ok && express.ok && standard.plan.hash !== express.plan.hash;
}

/** A client of Baton's REST API holding the owner's API token. */
export class BatonApi {
  private constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  /** Creates the owner account of a fresh Baton (POST /api/setup) and keeps the API token it answers with. */
  static async setUp(base: string): Promise<BatonApi> {
    const owner = { email: 'bench@baton.test', name: 'Bench', password: 'bench-password-1', tokenName: 'bench' };
    const { token } = await request<{ token: string }>(base, 'POST', '/api/setup', owner);
    return new BatonApi(base, token);
  }

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return request<T>(this.base, method, path, body, this.token);
  }

  async createPublished(name: string, mode: BenchMode, setNodes: number): Promise<BenchWorkflow> {
    const settings = mode === 'express' ? expressSettings() : {};
    const title = mode === 'express' ? `${name} (express)` : name;
    const document = webhookBenchDocument(name, setNodes, settings);
    const { workflow } = await this.call<{ workflow: { id: string } }>('POST', '/api/workflows', {
      name: title,
      document,
    });
    await this.call('POST', `/api/workflows/${workflow.id}/publish`, {});
    return { name, mode, setNodes, id: workflow.id, hookUrl: `${this.base}/hooks/${workflow.id}/${name}` };
  }
}

async function request<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Posts {"x":1} until the workflow answers correctly (the first run warms the worker up), or fails saying why. */
export async function verifyAnswer(workflow: BenchWorkflow, timeoutMs = 180_000): Promise<void> {
  const want = expectedAnswer(workflow.setNodes);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(workflow.hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"x":1}',
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      // A run's output is its last nodes' outputs by name ({"Sum": {...}}); the peers answer with the object itself.
      const body = response.status === 200 ? (JSON.parse(text) as { Sum?: unknown }) : {};
      const answer = (body.Sum ?? body) as Partial<typeof want>;
      if (answer.sum === want.sum && answer.n === want.n) return;
      last = `${response.status} ${text.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(
    `${workflow.name} (${workflow.mode}) at ${workflow.hookUrl} never answered ${JSON.stringify(want)}; last answer: ${last}`,
  );
}

/** BENCH_WORKFLOWS, checked against the workflows the peers run. */
export function benchWorkflowNames(names: string[]): string[] {
  const unknown = names.filter((name) => !(name in BENCH_SIZES));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_WORKFLOWS: unknown ${unknown.join(', ')}; choose from ${Object.keys(BENCH_SIZES).join(', ')}.`,
    );
  }
  return names;
}
