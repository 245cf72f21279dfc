// Listing test fixtures (docs/decisions/072), pure: their shape and size caps, which nodes a dry run replays and
// which it runs for real, the plan a listing graph runs as in a dry run, and the first difference between an
// expected and an actual output. The dry run itself is express/dry-run.ts; attaching them is
// app/lib/marketplace-tests.server.ts.
import { z } from 'zod';
import { MarketplaceError, type ListingGraph } from '../../contracts/marketplace';
import { LISTING_TEST_LIMITS, type ListingTest } from '../../contracts/marketplace-tests';
import { SECRET_IN_PLAN, type NodeSpec } from '../../nodes/define';
import { registry } from '../../nodes/index';
import { canonicalJson } from '../canonical-json';
import { compilePlan } from '../compile';
import type { Plan, PlanNode, WorkflowDocument } from '../types';

/**
 * How a dry run treats a node. `real`: its spec's pure evaluation or its runner, which declares no I/O (If, Merge,
 * Set, Code…); `recorded`: anything that may reach the outside world, wait for people or run other workflows (HTTP,
 * email, agents, browser, approvals, loops, sub-workflows), replayed from the fixture; `trigger`: the fixture's input.
 */
export type ReplayKind = 'trigger' | 'real' | 'recorded';

export function replayKind(spec: NodeSpec): ReplayKind {
  const runtime = spec.runtime;
  switch (runtime.kind) {
    case 'trigger':
      return 'trigger';
    case 'branch':
    case 'merge':
    case 'delay':
      return 'real';
    case 'activity':
      // `localWhen` is only ever declared by runners that have no effect outside the worker (nodes/define.ts).
      return runtime.pure || runtime.localWhen !== undefined ? 'real' : 'recorded';
    default:
      return 'recorded';
  }
}

/** The kind of a plan node; a node type this Baton does not know is refused, naming the node. */
export function replayKindOf(node: PlanNode, specs: Pick<typeof registry, 'get'> = registry): ReplayKind {
  const spec = specs.get(node.type, node.version);
  if (!spec)
    throw new MarketplaceError(
      'invalid',
      `Node "${node.name}" (${node.id}) is ${node.type}@${node.version}, which this Baton does not know.`,
    );
  return replayKind(spec);
}

// A credential id no workspace has: a dry run never opens credentials (nodes that use them are replayed).
const NO_CREDENTIAL = 'cred_00000000-0000-0000-0000-000000000000';

/**
 * The plan a listing graph runs as in a dry run. The graph's emptied credential params get a placeholder id and its
 * removed secret params the plan's `[secret]` marker, so it compiles as the publisher's workflow did.
 */
export function listingPlan(graph: ListingGraph, meta: { listingId: string; title: string }): Plan {
  const document: WorkflowDocument = {
    nodes: graph.nodes.map((node) => {
      const spec = registry.get(node.type, node.version);
      const params = { ...node.params };
      for (const [key, def] of Object.entries(spec?.params ?? {})) {
        if (def.ui.widget === 'credential' && params[key] === '') params[key] = NO_CREDENTIAL;
        if (def.ui.widget === 'secret' && params[key] === undefined && def.ui.required) params[key] = SECRET_IN_PLAN;
      }
      return { ...node, params };
    }),
    edges: graph.edges,
    settings: graph.settings,
  };
  const compiled = compilePlan(document, { workflowId: meta.listingId, name: meta.title });
  if (!compiled.ok) {
    const first = compiled.diagnostics.find((d) => d.severity === 'error') ?? compiled.diagnostics[0];
    throw new MarketplaceError(
      'invalid',
      `The listed graph does not compile on this Baton${first ? `: ${first.nodeId ? `node ${first.nodeId}: ` : ''}${first.message}` : ''}.`,
    );
  }
  return compiled.plan;
}

const recordedOutcome = z.union([
  z
    .object({
      output: z.unknown(),
      port: z.union([z.string().max(64), z.array(z.string().max(64)).max(50)]).optional(),
    })
    .strict(),
  z.object({ error: z.object({ message: z.string().max(10_000), code: z.string().max(64) }).strict() }).strict(),
]);

const nodeIdKey = z.string().min(1).max(128);

const listingTestSchema = z
  .object({
    name: z.string().trim().min(1).max(LISTING_TEST_LIMITS.nameChars),
    trigger: z.unknown(),
    recorded: z.record(nodeIdKey, recordedOutcome),
    expect: z.record(nodeIdKey, z.unknown()),
  })
  .strict();

const listingTestsSchema = z.array(listingTestSchema).max(LISTING_TEST_LIMITS.tests);

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** The largest recorded or expected value of the tests, for a refusal that says what to trim. */
function largestValue(tests: ListingTest[]): string {
  let best = { bytes: 0, where: '' };
  for (const test of tests) {
    const values: Array<[string, unknown]> = [
      ['its trigger input', test.trigger],
      ...Object.entries(test.recorded).map(([id, v]): [string, unknown] => [`node ${id}'s recorded outcome`, v]),
      ...Object.entries(test.expect).map(([id, v]): [string, unknown] => [`node ${id}'s expected output`, v]),
    ];
    for (const [where, value] of values) {
      const bytes = Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
      if (bytes > best.bytes) best = { bytes, where: `test "${test.name}": ${where} (${sizeText(bytes)})` };
    }
  }
  return best.where;
}

/**
 * The tests, shape and caps checked (each refusal names the test, the field and the limit), and, given the plan
 * they run against, every node they name checked: recordings only for nodes with side effects, expectations only
 * for nodes that run for real.
 */
export function checkedTests(value: unknown, plan?: Plan): ListingTest[] {
  const parsed = listingTestsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
    throw new MarketplaceError('invalid', `Listing tests${path}: ${issue.message}.`);
  }
  const tests = parsed.data as ListingTest[];
  const names = new Set<string>();
  for (const test of tests) {
    if (names.has(test.name)) throw new MarketplaceError('invalid', `Two listing tests are named "${test.name}".`);
    names.add(test.name);
  }
  const bytes = Buffer.byteLength(JSON.stringify(tests), 'utf8');
  if (bytes > LISTING_TEST_LIMITS.totalBytes)
    throw new MarketplaceError(
      'invalid',
      `The listing's tests are ${sizeText(bytes)}; the limit is ${sizeText(LISTING_TEST_LIMITS.totalBytes)}. ` +
        `The largest part is ${largestValue(tests)}: record a run with smaller data.`,
    );
  if (plan) for (const test of tests) checkAgainstPlan(test, plan);
  return tests;
}

function checkAgainstPlan(test: ListingTest, plan: Plan): void {
  const refuse = (field: string, id: string, why: string) =>
    new MarketplaceError('invalid', `Listing test "${test.name}": ${field}["${id}"]: ${why}.`);
  for (const id of Object.keys(test.recorded)) {
    const node = plan.nodes[id];
    if (!node) throw refuse('recorded', id, 'the graph has no such node');
    if (replayKindOf(node) !== 'recorded')
      throw refuse('recorded', id, `node "${node.name}" has no side effects and runs for real; remove its recording`);
  }
  for (const id of Object.keys(test.expect)) {
    const node = plan.nodes[id];
    if (!node) throw refuse('expect', id, 'the graph has no such node');
    if (replayKindOf(node) !== 'real')
      throw refuse('expect', id, `node "${node.name}" does not run for real in a dry run; record its outcome instead`);
  }
}

const MAX_SHOWN = 120;
const shown = (value: unknown) => {
  const text = value === undefined ? 'nothing' : canonicalJson(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
};

/**
 * Where `actual` first differs from `expected` (canonical JSON: key order does not matter), as
 * `at items[0].name: expected "Ada", got "Bob"`; undefined when they are equal.
 */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (canonicalJson(expected) === canonicalJson(actual)) return undefined;
  const at = path === '' ? 'at the top' : `at ${path}`;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    !bothArrays && isRecord(expected) && isRecord(actual) && !Array.isArray(expected) && !Array.isArray(actual);
  if (bothArrays) {
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      const found = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (found) return found;
    }
    return `${at}: expected ${expected.length} items, got ${actual.length}`;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`;
      if (!(key in actual)) return `at ${child}: expected ${shown(expected[key])}, got nothing`;
      if (!(key in expected)) return `at ${child}: expected nothing, got ${shown(actual[key])}`;
      const found = firstDifference(expected[key], actual[key], child);
      if (found) return found;
    }
  }
  return `${at}: expected ${shown(expected)}, got ${shown(actual)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
