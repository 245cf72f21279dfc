// Compiler fuzz test (issue 7, "Done means"): thousands of random documents built from every registered node
// kind, valid-ish and corrupted (ir/fuzz-documents.ts, ir/fuzz-cases.ts). compilePlan must never throw, must answer
// within a budget, must be deterministic, must only accept plans that can run, and must locate every problem on a
// node (by id, path and name), an edge (by id and path) or a named document field. A failure prints the seed, the
// case index and a shrunk JSON document to replay it: BATON_FUZZ_SEED=<seed> BATON_FUZZ_CASE=<index> runs that case.
import { registry } from '../nodes/index';
import { FORBIDDEN_KEYS } from '../nodes/json-value';
import { nodeOutputPorts } from '../nodes/ports';
import { canonicalJson } from './canonical-json';
import { compilePlan } from './compile';
import { generateCase } from './fuzz-cases';
import { isBackEdge } from './loops';
import { sha256Hex } from './sha256';
import type { CompileResult, Diagnostic, Plan, WorkflowDocument } from './types';

const DEFAULT_SEED = 0xba7042;
const SEED = parseSeed(process.env.BATON_FUZZ_SEED);
const COUNT = Number(process.env.BATON_FUZZ_COUNT ?? 10_000);
const ONLY = process.env.BATON_FUZZ_CASE === undefined ? undefined : Number(process.env.BATON_FUZZ_CASE);
/**
 * One compile of at most 60 nodes: far above the usual few ms, far below a hang. Judged in CPU time, so a busy
 * machine (other jest workers, CI neighbours) does not fail it.
 */
const COMPILE_BUDGET_MS = 1500;
const META = { workflowId: 'wf-fuzz', name: 'Fuzz' };

function parseSeed(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_SEED;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`BATON_FUZZ_SEED must be a uint32, not ${text}`);
  return n;
}

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Violation {
  /** Stable across shrinking: the invariant and, for diagnostics, the diagnostic's code. */
  kind: string;
  detail: string;
}

/** An id the schema accepts (ir/schema.ts): the only kind a diagnostic can carry as nodeId or edgeId. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const safeId = (v: unknown): string | undefined =>
  typeof v === 'string' && SAFE_ID.test(v) && !FORBIDDEN_KEYS.has(v) ? v : undefined;
/** A name the schema accepts (ir/schema.ts): the only kind a message can be expected to quote. */
const validName = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length <= 128 &&
  v.trim() !== '' &&
  ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Why `path` is not a location inside `raw`: array steps must be in-range indexes, object steps keys. */
function pathProblem(raw: unknown, path: Array<string | number>): string | undefined {
  let at: unknown = raw;
  for (const [i, step] of path.entries()) {
    if (Array.isArray(at)) {
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= at.length)
        return `step ${i} (${JSON.stringify(step)}) is not an index of an array of ${at.length}`;
      at = at[step];
    } else if (isObj(at)) {
      if (typeof step !== 'string') return `step ${i} (${step}) indexes an object with a number`;
      if (!Object.prototype.hasOwnProperty.call(at, step)) return undefined; // naming a missing field is fine
      at = at[step];
    } else return undefined;
  }
  return undefined;
}

const mentions = (message: string, text: string) => message.toLowerCase().includes(text.toLowerCase());

/** A message is short, save for the names and ids of the nodes it lists (a cycle's). */
const MAX_MESSAGE_CHARS = 1000;
function namesQuoted(message: string, raw: unknown): number {
  const nodes = isObj(raw) && Array.isArray(raw.nodes) ? raw.nodes.filter(isObj) : [];
  let chars = 0;
  for (const n of nodes) {
    const [name, id] = [validName(n.name) ? n.name : '', safeId(n.id) ?? ''];
    if ((name && message.includes(name)) || (id && message.includes(id))) chars += name.length + id.length + 8;
  }
  return chars;
}

/**
 * The location rule. A diagnostic is about a node (path `['nodes', i, …]`: nodeId is that node's id whenever it
 * has a valid one, the message quotes its name whenever it has a valid one, else its id or `nodes.i`, and names
 * the field), about an edge (path `['edges', i, …]`: edgeId is its id whenever valid, and the message quotes that
 * id, else `edges.i`), or about the document (path `['nodes' | 'edges' | 'settings', …]`, no node or edge id).
 */
function diagnosticProblem(d: Diagnostic, raw: unknown, rawText: string): string | undefined {
  if (d.severity !== 'error' && d.severity !== 'warning') return `severity ${String(d.severity)}`;
  if (typeof d.code !== 'string' || !/^[a-z]+(-[a-z]+)*$/.test(d.code)) return `code ${String(d.code)}`;
  if (typeof d.message !== 'string' || d.message.trim().length < 10) return 'message missing or vague';
  if (d.message.includes('[object Object]')) return 'message holds [object Object]';
  for (const junk of ['undefined', 'NaN']) {
    if (new RegExp(`\\b${junk}\\b`).test(d.message) && !rawText.includes(junk)) return `message holds "${junk}"`;
  }
  if (d.message.length > MAX_MESSAGE_CHARS && d.message.length > MAX_MESSAGE_CHARS + namesQuoted(d.message, raw))
    return `message is ${d.message.length} characters long: it quotes user text at length`;
  if (!Array.isArray(d.path)) return 'no path';
  const badPath = pathProblem(raw, d.path);
  if (badPath) return `path ${JSON.stringify(d.path)} does not point into the document: ${badPath}`;
  const [area, index, field] = d.path;
  if (!isObj(raw)) return d.path.length ? 'a document that is not an object has no fields' : undefined;

  if (area === 'nodes' && typeof index === 'number') {
    const node = Array.isArray(raw.nodes) ? raw.nodes[index] : undefined;
    if (d.edgeId !== undefined) return 'a node diagnostic carries an edgeId';
    const id = isObj(node) ? safeId(node.id) : undefined;
    if (d.nodeId !== id) return `nodeId ${JSON.stringify(d.nodeId)}, but the node at nodes[${index}] has id ${id}`;
    const name = isObj(node) ? node.name : undefined;
    if (validName(name)) {
      if (!d.message.includes(name)) return `message does not name the node "${name}"`;
    } else if (!(id && d.message.includes(id)) && !d.message.includes(`nodes.${index}`)) {
      return 'message names neither the node nor nodes.<index>';
    }
    if (field === 'params' && d.path.length > 3) {
      const key = String(d.path[3]).slice(0, 64); // a long key may be cut short
      if (!d.message.includes(key)) return `message does not name the param "${key}"`;
    } else if (typeof field === 'string' && field !== 'params' && !mentions(d.message, field)) {
      return `message does not name the field "${field}"`;
    }
    return undefined;
  }
  if (area === 'edges' && typeof index === 'number') {
    const e = Array.isArray(raw.edges) ? raw.edges[index] : undefined;
    if (d.nodeId !== undefined) return 'an edge diagnostic carries a nodeId';
    const id = isObj(e) ? safeId(e.id) : undefined;
    if (d.edgeId !== id) return `edgeId ${JSON.stringify(d.edgeId)}, but the edge at edges[${index}] has id ${id}`;
    if (id ? !d.message.includes(id) : !d.message.includes(`edges.${index}`))
      return 'message names neither the edge id nor edges.<index>';
    if (typeof field === 'string' && isObj(e)) {
      const value = e[field];
      const quoted = typeof value === 'string' && value !== '' && d.message.includes(value);
      if (!quoted && !mentions(d.message, field)) return `message names neither the field "${field}" nor its value`;
    }
    return undefined;
  }
  if (d.nodeId !== undefined || d.edgeId !== undefined) return 'a document-level diagnostic carries a node or edge id';
  if (area !== 'nodes' && area !== 'edges' && area !== 'settings')
    return `path ${JSON.stringify(d.path)} names no field`;
  const last = d.path[d.path.length - 1];
  if (d.path.length > 1 && typeof last === 'string' && !mentions(d.message, last))
    return `message does not name the field "${last}"`;
  return undefined;
}

/** Why an accepted plan could not run as the interpreter reads it. */
function planProblem(plan: Plan, warnings: Diagnostic[], raw: Obj): string | undefined {
  const { hash, ...body } = plan;
  if (hash !== sha256Hex(canonicalJson(body))) return 'hash is not the sha256 of the canonical plan';
  if (canonicalJson(JSON.parse(JSON.stringify(plan))) !== canonicalJson(plan)) return 'plan does not survive JSON';
  const ids = Object.keys(plan.nodes);
  const position = new Map(plan.order.map((id, i) => [id, i]));
  if (position.size !== plan.order.length || ids.length !== plan.order.length || ids.some((id) => !position.has(id)))
    return `order ${JSON.stringify(plan.order)} is not a permutation of the plan's nodes ${JSON.stringify(ids)}`;
  if (plan.order[0] !== plan.triggerId || plan.nodes[plan.triggerId]?.kind !== 'trigger')
    return 'the trigger is not the first node of the order';
  const docNodes = new Map<unknown, Obj>((raw.nodes as Obj[]).map((n) => [n.id, n]));
  for (const id of ids) {
    const node = plan.nodes[id];
    const doc = docNodes.get(id);
    if (node.id !== id) return `plan node under "${id}" has id "${node.id}"`;
    if (!registry.get(node.type, node.version)) return `plan node "${id}" has no spec`;
    if (!doc || doc.disabled === true || doc.name !== node.name) return `plan node "${id}" is not an enabled node`;
  }
  const into = new Map<string, number>();
  const seen = new Set<string>();
  for (const e of plan.edges) {
    const [from, to] = [plan.nodes[e.from.node], plan.nodes[e.to.node]];
    const key = JSON.stringify(e);
    if (!from || !to) return `edge ${key} leaves the plan`;
    if (seen.has(key)) return `edge ${key} is repeated`;
    seen.add(key);
    // Edges back into a loop's end close its body (ir/loops.ts): the only ones that may point backwards.
    const back = isBackEdge(e, (id) => plan.nodes[id]?.kind);
    if (back && e.from.node !== e.to.node && !to.body?.includes(e.from.node))
      return `edge ${key} goes back into a loop from outside its body`;
    if (!back && position.get(e.from.node)! >= position.get(e.to.node)!) return `edge ${key} goes against the order`;
    const spec = registry.get(from.type, from.version)!;
    if (!nodeOutputPorts(spec, from.params, from.policy).some((p) => p.id === e.from.port))
      return `edge ${key} leaves from a port its node does not have`;
    const target = registry.get(to.type, to.version)!;
    if (!target.inputs.some((p) => p.id === e.to.port)) return `edge ${key} enters a port its node does not have`;
    const port = `${e.to.node}\u0000${e.to.port}`;
    into.set(port, (into.get(port) ?? 0) + 1);
    if (into.get(port)! > 1 && target.runtime.kind !== 'merge' && !back)
      return `edge ${key} fans into a node that is no Merge`;
  }
  if (warnings.some((w) => w.severity !== 'warning')) return 'an accepted plan comes with errors';
  const express = isObj(raw.settings) && raw.settings.mode === 'express';
  if ((plan.mode === 'express') !== express) return 'plan mode differs from the settings';
  return undefined;
}

interface Outcome {
  result?: CompileResult;
  ms: number;
  violation?: Violation;
}

/** compilePlan, with the CPU milliseconds it took (its first run: a second one would hit JSONata's cache). */
function compileTimed(doc: unknown): { result?: CompileResult; thrown?: unknown; ms: number } {
  const started = process.cpuUsage();
  const ms = () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  try {
    const result = compilePlan(doc as WorkflowDocument, META);
    return { result, ms: ms() };
  } catch (thrown) {
    return { thrown, ms: ms() };
  }
}

/** Every invariant, on one document. */
function check(doc: unknown): Outcome {
  const text = JSON.stringify(doc);
  const first = compileTimed(doc);
  const fail = (kind: string, detail: string): Outcome => ({ ...first, violation: { kind, detail } });
  if (first.thrown !== undefined) {
    const err = first.thrown as Error;
    return fail(
      `throws ${err?.name}`,
      String(err?.stack ?? err)
        .split('\n')
        .slice(0, 6)
        .join('\n'),
    );
  }
  const result = first.result!;
  if (first.ms > COMPILE_BUDGET_MS) return fail('slow', `took ${first.ms.toFixed(0)} ms of CPU`);
  if (JSON.stringify(doc) !== text) return fail('mutates-input', 'compilePlan changed its input');
  // The same document again, as a fresh JSON copy; an accepted one with every node moved, since positions are
  // not part of the plan and must not change its hash. Either way the result must be identical.
  const raw = text === undefined ? undefined : JSON.parse(text);
  if (result.ok) for (const n of raw.nodes as Obj[]) n.position = { x: 7, y: -7 };
  const again = compileTimed(raw);
  if (again.thrown !== undefined || JSON.stringify(again.result) !== JSON.stringify(result))
    return fail(
      'nondeterministic',
      `compiling it again${result.ok ? ' with the nodes moved' : ''} gave another result`,
    );
  if (result.ok) {
    const problem = planProblem(result.plan, result.warnings, raw);
    if (problem) return fail('bad-plan', problem);
  } else if (!result.diagnostics.some((d) => d.severity === 'error')) {
    return fail('rejected-without-error', 'rejected, but no diagnostic is an error');
  }
  for (const d of result.ok ? result.warnings : result.diagnostics) {
    const why = diagnosticProblem(d, raw, text ?? '');
    if (why) return fail(`unlocated ${d.code}`, `${why}\n${JSON.stringify(d).slice(0, 2000)}`);
  }
  return first;
}

/** Copies with one part removed or halved, largest parts first; the shrinker keeps any that still fails. */
function* simpler(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield [...value.slice(0, i), ...value.slice(i + 1)];
    for (let i = 0; i < value.length; i++)
      for (const v of simpler(value[i])) yield [...value.slice(0, i), v, ...value.slice(i + 1)];
  } else if (isObj(value)) {
    const keys = Object.keys(value);
    const copy = (key: string, replacement?: { v: unknown }) => {
      const out: Obj = {};
      for (const k of keys) {
        if (k === key && !replacement) continue;
        Object.defineProperty(out, k, {
          value: k === key ? replacement!.v : value[k],
          enumerable: true,
          writable: true,
        });
      }
      return out;
    };
    for (const k of keys) yield copy(k);
    for (const k of keys) for (const v of simpler(value[k])) yield copy(k, { v });
  } else if (typeof value === 'string' && value.length > 8) {
    yield value.slice(0, Math.floor(value.length / 2));
  }
}

/** Greedy shrinking: the smallest document found that still breaks the same invariant. */
function shrink(doc: unknown, kind: string): unknown {
  const deadline = performance.now() + 15_000;
  let current = doc;
  let attempts = 0;
  for (let progress = true; progress && performance.now() < deadline;) {
    progress = false;
    for (const candidate of simpler(current)) {
      if (++attempts > 5000 || performance.now() > deadline) break;
      if (check(candidate).violation?.kind === kind) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}

function report(index: number, corruptions: string[], doc: unknown, violation: Violation): string {
  const small = JSON.stringify(shrink(doc, violation.kind));
  return [
    `case ${index} (seed ${SEED}; replay: BATON_FUZZ_SEED=${SEED} BATON_FUZZ_CASE=${index}): ${violation.kind}`,
    `  corruptions: ${corruptions.join(', ') || 'none'}`,
    `  ${violation.detail.replace(/\n/g, '\n  ')}`,
    `  minimal document: ${small.length > 20_000 ? `${small.slice(0, 20_000)}… (${small.length} chars)` : small}`,
  ].join('\n');
}

describe('compilePlan fuzz', () => {
  it(`compiles ${ONLY === undefined ? COUNT : 1} random documents from every node kind safely`, () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const indexes = ONLY === undefined ? Array.from({ length: COUNT }, (_, i) => i) : [ONLY];
    const kinds = new Set<string>();
    const codes = new Map<string, number>();
    const failures: Array<{ index: number; corruptions: string[]; doc: unknown; violation: Violation }> = [];
    let accepted = 0;
    let slowest = { ms: 0, index: -1 };
    for (const index of indexes) {
      const { doc, corruptions } = generateCase(SEED, index);
      if (isObj(doc) && Array.isArray(doc.nodes))
        for (const n of doc.nodes) if (isObj(n)) kinds.add(`${n.type}@${n.version}`);
      const outcome = check(doc);
      if (outcome.ms > slowest.ms) slowest = { ms: outcome.ms, index };
      if (outcome.result?.ok) accepted++;
      else for (const d of outcome.result?.diagnostics ?? []) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      if (outcome.violation) failures.push({ index, corruptions, doc, violation: outcome.violation });
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const topCodes = [...codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
    console.log(
      [
        `compiler fuzz: seed ${SEED}, ${indexes.length} graphs in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU)`,
        `accepted ${accepted}, rejected ${indexes.length - accepted}`,
        `slowest compile ${slowest.ms.toFixed(1)} ms of CPU (case ${slowest.index})`,
        `diagnostics: ${topCodes.join(', ')}`,
        `violations: ${failures.length}`,
      ].join('\n'),
    );

    if (failures.length) {
      const byKind = new Map<string, (typeof failures)[number]>();
      for (const f of failures) if (!byKind.has(f.violation.kind)) byKind.set(f.violation.kind, f);
      const counts = [...byKind.keys()].map((k) => `${k} ×${failures.filter((f) => f.violation.kind === k).length}`);
      const shown = [...byKind.values()].slice(0, 8);
      throw new Error(
        `${failures.length} of ${indexes.length} graphs broke an invariant (${counts.join('; ')}):\n\n` +
          shown.map((f) => report(f.index, f.corruptions, f.doc, f.violation)).join('\n\n'),
      );
    }
    if (ONLY === undefined && COUNT >= 1000) {
      // A fuzzer that only produces rejects (or only accepts) tests little: keep the generator honest.
      expect(accepted).toBeGreaterThan(indexes.length * 0.05);
      expect(indexes.length - accepted).toBeGreaterThan(indexes.length * 0.3);
      const all = registry.all().map((s) => `${s.type}@${s.version}`);
      expect(all.filter((k) => !kinds.has(k))).toEqual([]);
    }
  }, 600_000);
});
