// What a field's expression preview evaluates against: the node's step in the run on display (or the last one), and
// for a node of a loop body, which has no top-level step, its step in the iteration the run panel shows.
import type { StepInfo } from '../../../contracts/step-record';
import type { ExpressionScope } from '../../../ir/expression';
import { clampIteration, countLabel, loopOfNode, type RunState } from '../../lib/run-view';

/** The loop iteration a body node previews against: the run panel's choice (the first by default). */
export interface PreviewIteration {
  loopId: string;
  iteration: number;
}

/** The steps of that iteration, once loaded (`iteration-store`), by node id. */
export type IterationSteps = Record<string, StepInfo>;

export type PreviewBasis =
  | { ready: true; scope: ExpressionScope; label: string }
  /** A body node whose iteration is still loading: nothing to evaluate against yet. */
  | { ready: false; label: string };

/** The iteration a node of a loop body previews against, or undefined for a node outside every body. */
export function previewIteration(
  run: RunState | null,
  nodeId: string,
  chosen: Record<string, number> | undefined,
): PreviewIteration | undefined {
  const loop = loopOfNode(run?.loops, nodeId);
  if (!loop || loop.nodeId === nodeId || loop.iterations === 0) return undefined;
  return { loopId: loop.nodeId, iteration: clampIteration(chosen?.[loop.nodeId] ?? 1, loop.iterations) };
}

export function previewBasis(
  run: RunState | null,
  nodeId: string,
  workflowId: string,
  iteration?: PreviewIteration & { steps?: IterationSteps },
): PreviewBasis {
  const top = Object.values(run?.steps ?? {});
  const scope = (input: unknown, node: ExpressionScope['node']): ExpressionScope => ({
    input,
    trigger: run?.run.trigger ?? {},
    node,
    run: { id: run?.run.runId ?? 'preview', workflowId },
  });
  const topOutput = (name: string) => top.find((s) => s.nodeName === name)?.output;
  if (!run) return { ready: true, scope: scope({}, topOutput), label: 'Preview (no run yet)' };

  if (iteration) {
    const k = countLabel(iteration.iteration);
    if (!iteration.steps) return { ready: false, label: `Preview (loading iteration ${k}…)` };
    const steps = Object.values(iteration.steps);
    // Inside an iteration, the loop node's output is the iteration's item: its iteration step's input.
    const node = (name: string) => {
      const step = steps.find((s) => s.nodeName === name);
      if (!step) return topOutput(name);
      return step.nodeId === iteration.loopId ? step.input : step.output;
    };
    const own = iteration.steps[nodeId];
    if (!own)
      return { ready: true, scope: scope({}, node), label: `Preview (did not run in iteration ${k}; no input)` };
    return {
      ready: true,
      scope: scope(inputOf(own), node),
      label: `Preview (last run, iteration ${k}${tooLarge(own)})`,
    };
  }
  const own = run.steps[nodeId];
  if (!own)
    return { ready: true, scope: scope({}, topOutput), label: 'Preview (did not run in the last run; no input)' };
  return { ready: true, scope: scope(inputOf(own), topOutput), label: `Preview (last run${tooLarge(own)})` };
}

/** A large input arrives as a preview of its text only, so expressions see an empty input instead. */
const inputOf = (step: StepInfo) => step.input ?? {};
const tooLarge = (step: StepInfo) =>
  step.input === undefined && step.inputPreview ? '; its input is too large to use' : '';
