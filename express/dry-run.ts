// A dry run of a listing's tests (docs/decisions/072): the plan walked in memory, like an express run
// (docs/decisions/030), but without a single side effect. Nodes with side effects (HTTP, email, agents, browser,
// approvals, loops, sub-workflows) return the fixture's recorded outcome and never run; a node with side effects
// that has no recording fails the test. Nodes without side effects (If, Switch, Merge, Set, Code, Filter, Sort…) run
// their real spec evaluation or runner, with a RunContext that refuses every capability that reaches the outside
// world. Their outputs are then compared with the fixture's expectations. Nothing is written anywhere.
import { errorCode, nodeDeadline } from '../contracts/errors';
import type { ListingTest, RecordedOutcome } from '../contracts/marketplace-tests';
import type { ExpressionScope } from '../ir/expression';
import { firstDifference, replayKind } from '../ir/marketplace/fixtures';
import { resolveParams } from '../ir/params';
import type { Plan, PlanNode } from '../ir/types';
import type { NodeSpec, RunContext } from '../nodes/define';
import { registry } from '../nodes/index';
import { checkRoute, failureOutput, failurePort, goesOnAfterFailure } from '../nodes/ports';
import { loadRunner, type RunnerLookup } from '../nodes/runners';
import { GraphState } from '../workflows/graph-state';

/** The run id runners and expressions see in a dry run. */
export const DRY_RUN_ID = 'dry-run';

export interface DryRunDeps {
  specs: Pick<typeof registry, 'get'>;
  loadRunner: RunnerLookup;
}

const defaultDeps: DryRunDeps = { specs: registry, loadRunner };

/** One test's outcome: passed, or the node it failed at and why. */
export interface DryRunOutcome {
  test: string;
  passed: boolean;
  nodeId?: string;
  message?: string;
}

/** What a node did in the dry run. */
type NodeResult =
  | { ok: true; output: unknown; port?: string | string[]; portValues?: Record<string, unknown>; real: boolean }
  | { ok: false; message: string };

/** Thrown to fail the test at a node: the message already names it. */
class TestFailure extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
  }
}

const label = (node: PlanNode) => `Node "${node.name}" (${node.id})`;

/** Runs every test in turn and stops at the first failure. */
export async function dryRunTests(
  plan: Plan,
  tests: ListingTest[],
  deps: DryRunDeps = defaultDeps,
): Promise<{ passed: boolean; ran: number; failure?: DryRunOutcome }> {
  let ran = 0;
  for (const test of tests) {
    ran++;
    const outcome = await dryRunTest(plan, test, deps);
    if (!outcome.passed) return { passed: false, ran, failure: outcome };
  }
  return { passed: true, ran };
}

/** Walks `plan` for one test and compares what ran for real with the test's expectations. */
export async function dryRunTest(
  plan: Plan,
  test: ListingTest,
  deps: DryRunDeps = defaultDeps,
): Promise<DryRunOutcome> {
  try {
    const actual = await walk(plan, test, deps);
    const mismatch = compare(plan, test, actual);
    return mismatch ? { test: test.name, passed: false, ...mismatch } : { test: test.name, passed: true };
  } catch (err) {
    if (err instanceof TestFailure) return { test: test.name, passed: false, nodeId: err.nodeId, message: err.message };
    throw err;
  }
}

/** The walk of workflows/walk.ts, one node at a time in plan order: deterministic, and nothing runs concurrently. */
async function walk(plan: Plan, test: ListingTest, deps: DryRunDeps): Promise<Map<string, unknown>> {
  const graph = new GraphState(plan);
  const actual = new Map<string, unknown>();
  graph.markStarted(graph.triggerId);
  graph.complete(graph.triggerId, asStored(test.trigger), 'succeeded');
  for (let ready = graph.readyNodes(); ready.length > 0; ready = graph.readyNodes()) {
    for (const id of ready) {
      if (graph.allInputsDead(id)) {
        graph.skip(id);
        continue;
      }
      graph.markStarted(id);
      const node = graph.node(id);
      const result = await runNode(graph, node, test, deps);
      if (!result.ok) throw new TestFailure(id, `${label(node)} failed in the dry run: ${result.message}`);
      if (result.real) actual.set(id, result.output);
      graph.complete(id, result.output, 'succeeded', result.port, result.portValues);
    }
  }
  return actual;
}

async function runNode(graph: GraphState, node: PlanNode, test: ListingTest, deps: DryRunDeps): Promise<NodeResult> {
  const spec = deps.specs.get(node.type, node.version);
  if (!spec)
    return { ok: false, message: `its type ${node.type}@${node.version} is not in this Baton's node registry` };
  const recorded = Object.prototype.hasOwnProperty.call(test.recorded, node.id) ? test.recorded[node.id] : undefined;
  if (replayKind(spec) !== 'real') {
    if (!recorded)
      throw new TestFailure(
        node.id,
        `${label(node)} is a ${node.type} node, which has side effects, and test "${test.name}" has no recorded ` +
          'outcome for it: the dry run refuses to perform it. Attach the tests again from a run that reached it.',
      );
    return replayed(node, recorded);
  }
  const portOrder = node.kind === 'merge' ? spec.inputs.map((p) => p.id) : [];
  const inputs = graph.firedRefs(node.id, portOrder).map((ref) => graph.valueOf(ref));
  const input = node.kind === 'merge' || inputs.length !== 1 ? inputs : inputs[0];
  try {
    const evaluated = await evaluate(graph, node, spec, input, inputs, deps);
    return { ok: true, real: true, output: asStored(evaluated.output), port: evaluated.port };
  } catch (err) {
    if (err instanceof TestFailure) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (!goesOnAfterFailure(node.policy)) return { ok: false, message };
    return {
      ok: true,
      real: true,
      output: failureOutput({ message, code: errorCode(err) }),
      port: failurePort(node.policy),
    };
  }
}

/** A recorded outcome as the node's result: an error goes on only where the node's policy lets it. */
function replayed(node: PlanNode, recorded: RecordedOutcome): NodeResult {
  if ('error' in recorded) {
    if (!goesOnAfterFailure(node.policy)) return { ok: false, message: `recorded failure: ${recorded.error.message}` };
    return { ok: true, real: false, output: failureOutput(recorded.error), port: failurePort(node.policy) };
  }
  const output = asStored(recorded.output);
  // A Loop over items sends `done` and `failed` down outputs of those names (workflows/loops.ts).
  const portValues =
    node.kind === 'loop' && isRecord(output) && 'done' in output && 'failed' in output ? output : undefined;
  return { ok: true, real: false, output, port: recorded.port, ...(portValues ? { portValues } : {}) };
}

/** A node without side effects, evaluated as the interpreter does: spec functions for control nodes, else its runner. */
async function evaluate(
  graph: GraphState,
  node: PlanNode,
  spec: NodeSpec,
  input: unknown,
  inputs: unknown[],
  deps: DryRunDeps,
): Promise<{ output: unknown; port?: string | string[] }> {
  const params = (await resolveParams(spec, node.params, scope(graph, input))) as Record<string, unknown>;
  const runtime = spec.runtime;
  switch (runtime.kind) {
    case 'branch': {
      const port = runtime.route(params, input);
      checkRoute(spec, node, port);
      return { output: input, port };
    }
    case 'merge':
      return { output: runtime.combine(params, inputs) };
    case 'delay':
      return { output: input }; // the time passes in the recorded run, not here
    case 'activity':
      return { output: await runRunner(node, params, input, deps) };
    default:
      throw new Error(`a "${runtime.kind}" node cannot run for real in a dry run`);
  }
}

async function runRunner(
  node: PlanNode,
  params: Record<string, unknown>,
  input: unknown,
  deps: DryRunDeps,
): Promise<unknown> {
  const run = await deps.loadRunner(node.type, node.version);
  const abort = new AbortController();
  const deadline = nodeDeadline(node, abort);
  try {
    return await Promise.race([run(refusingContext(node, abort.signal), params, input), deadline.expired]);
  } finally {
    deadline.clear();
  }
}

/**
 * The context of a runner in a dry run: every capability that reaches outside the worker (credentials, effects,
 * files, tables, sessions, people) fails the test naming the node, instead of being performed.
 */
export function refusingContext(node: PlanNode, signal: AbortSignal): RunContext {
  const refuse = (what: string) => () => {
    throw new TestFailure(
      node.id,
      `${label(node)} tried to ${what} during the dry run, which performs no side effects.`,
    );
  };
  const refusing = <T extends object>(what: string): T =>
    new Proxy({} as T, { get: (_, prop) => (typeof prop === 'string' ? refuse(`${what} (${prop})`) : undefined) });
  return {
    runId: DRY_RUN_ID,
    workflowId: DRY_RUN_ID,
    nodeId: node.id,
    nodeName: node.name,
    idempotencyKey: `${DRY_RUN_ID}:${node.id}:0`,
    attempt: 1,
    signal,
    heartbeat: () => undefined,
    log: { info: () => undefined, warn: () => undefined },
    credential: refuse('open a credential'),
    once: refuse('perform a side effect'),
    files: refusing<NonNullable<RunContext['files']>>('use files'),
    tables: refusing<NonNullable<RunContext['tables']>>('use data tables'),
    workspaceId: refuse('read its workspace'),
    browserSessions: refusing<NonNullable<RunContext['browserSessions']>>('use browser sessions'),
    takeover: refuse('hand a page to a person'),
  };
}

/** Expressions see the trigger and the outputs of this dry run; `$resumeUrl` has no run to resume. */
function scope(graph: GraphState, input: unknown): ExpressionScope {
  return {
    input,
    trigger: graph.output(graph.triggerId),
    node: (name) => {
      const id = graph.idOfName(name);
      if (id === undefined || !graph.hasOutput(id))
        throw new Error(
          `$node("${name}") has no output in this run: the node does not exist, has not run before this one, or was skipped.`,
        );
      return graph.output(id);
    },
    run: { id: DRY_RUN_ID, workflowId: DRY_RUN_ID },
    resumeUrl: () => {
      throw new Error('$resumeUrl has no run to resume in a dry run');
    },
  };
}

/**
 * The first difference between what ran for real and the expectations, in plan order: a different output, an
 * expected node that did not run, or a node that ran here but not in the recorded run.
 */
function compare(
  plan: Plan,
  test: ListingTest,
  actual: Map<string, unknown>,
): { nodeId: string; message: string } | undefined {
  for (const id of plan.order) {
    const node = plan.nodes[id];
    const expected = Object.prototype.hasOwnProperty.call(test.expect, id);
    if (expected && !actual.has(id))
      return { nodeId: id, message: `${label(node)} did not run in the dry run, but it ran in the recorded run.` };
    if (!expected && actual.has(id))
      return { nodeId: id, message: `${label(node)} ran in the dry run, but it did not run in the recorded run.` };
    if (!expected) continue;
    const diff = firstDifference(asStored(test.expect[id]), actual.get(id));
    if (diff) return { nodeId: id, message: `${label(node)} output differs ${diff}.` };
  }
  return undefined;
}

/** A value as a step record stores it and the next node reads it back: JSON (undefined becomes null). */
function asStored(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
