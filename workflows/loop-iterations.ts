// One iteration of a loop (workflows/loops.ts): walking its body, and writing what it ended with.
import { CancellationScope } from '@temporalio/workflow';
import type { LoopResultEntry } from '../activities/loops';
import type { RunError } from '../contracts/run-status';
import type { WorkflowStep } from '../contracts/step-record';
import type { PlanNode } from '../ir/types';
import type { NodeExecutor } from './node-execution';
import { walk, type EvaluatedChain } from './walk';

export type IterationEnd =
  | { k: number; ok: true; result: unknown; step: WorkflowStep }
  | { k: number; ok: false; error: RunError; cancelled: boolean; step: WorkflowStep; item: unknown };

/**
 * Walks iteration `k` of the loop's body, its start (the loop node) giving `item` down its `body` output; a chain
 * `evaluated` in a batch takes its outcomes from there.
 */
export async function runIteration(
  ex: NodeExecutor,
  node: PlanNode,
  k: number,
  item: unknown,
  evaluated?: EvaluatedChain,
): Promise<IterationEnd> {
  const graph = ex.graph.forIteration(node.id, k);
  const exec = ex.forIteration(graph);
  const scope = new CancellationScope();
  const walked = await scope.run(() =>
    walk(graph, exec, scope, () => false, { output: item, port: 'body' }, evaluated),
  );
  const endedAt = ex.now();
  if (walked.failure || walked.interrupted) {
    const error = walked.failure ?? {
      message: `Iteration ${k} of "${node.name}" was cancelled`,
      nodeId: node.id,
      nodeName: node.name,
      code: 'cancelled',
    };
    const step = exec.record(node, { status: 'failed', error, endedAt });
    return { k, ok: false, error, cancelled: !walked.failure, step, item };
  }
  const values = graph.iterationResultRefs().map((ref) => graph.valueOf(ref));
  const result = values.length === 0 ? null : values.length === 1 ? values[0] : values;
  return { k, ok: true, result, step: exec.record(node, { status: 'succeeded', output: result, endedAt }) };
}

/**
 * Finished iterations, written together: their steps and, for loops that collect them (`parts` counts what they
 * wrote), their results as one part (activities/loops.ts `collectLoopResults`).
 */
export class IterationEnds {
  private pending: Array<{ step: WorkflowStep; entry?: LoopResultEntry }> = [];

  constructor(
    private readonly ex: NodeExecutor,
    private readonly node: PlanNode,
    public parts: number | undefined,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  add(end: IterationEnd): void {
    this.pending.push({ step: end.step, entry: resultEntry(end) });
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const written = this.pending.splice(0);
    await this.ex.records.recordSteps(written.map((w) => w.step));
    const entries = written.flatMap((w) => (w.entry ? [w.entry] : []));
    if (this.parts === undefined || entries.length === 0) return;
    const part = this.parts++;
    await this.ex.records.collectLoopResults({ runId: this.ex.input.runId, nodeId: this.node.id, part, entries });
  }
}

/** What the loop's "done" or "failed" output holds for an iteration that ended (nothing when it was cancelled). */
function resultEntry(end: IterationEnd): LoopResultEntry | undefined {
  if (end.ok) return [end.k, 'done', end.result];
  if (end.cancelled) return undefined;
  return [end.k, 'failed', { item: end.item, error: { message: end.error.message, code: end.error.code } }];
}
