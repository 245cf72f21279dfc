// Valid-ish workflow documents for the compiler fuzz test (ir/fuzz.test.ts): graphs of every registered node kind,
// wired on the ports the compiler derives, with params a person could have typed into each widget; plus the PRNG
// and the hostile values that ir/fuzz-cases.ts corrupts them with. Plain JSON only, so a case replays exactly.
import { z } from 'zod';
import type { ListField, NodeSpec, ParamDef } from '../nodes/define';
import { registry } from '../nodes/index';
import { nodeOutputPorts } from '../nodes/ports';
import { hasExpression } from './expression';
import { LOOP_BODY_PORT, LOOP_END_PORT } from './loops';
import { isMissing } from './params';

/** sfc32: small, fast and good enough to drive a fuzzer; the same seed always gives the same stream. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** The seed of case `index` of a run seeded `seed`: each case replays on its own. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Json = any;
export type Obj = Record<string, Json>;

const SPECS = registry.all();
export const TRIGGERS = SPECS.filter((s) => s.runtime.kind === 'trigger');
const STEPS = SPECS.filter((s) => s.runtime.kind !== 'trigger');
/** JSON.parse, not structuredClone: under jest the latter builds objects of another realm, which are not plain. */
export const copyJson = <T>(v: T): T => JSON.parse(JSON.stringify(v));
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const WORDS = ['alpha', 'Invoice 42', 'ok', 'user.email', 'items', 'déjà vu', '東京', 'x'];
export const EXPRESSIONS = [
  '{{ $input.amount }}',
  '{{ $input.items[0].name }}',
  '{{ $trigger.body.id }}',
  '{{ $count($input.items) > 3 }}',
  'Hello {{ $input.name }}, you owe {{ $input.amount * 1.2 }}',
  '{{ $node("Manual trigger 1").id }}',
  '{{ {"a": {"b": 1}} }}',
];

/** Strings that have broken parsers, renderers and object maps somewhere; each is built on demand. */
const HOSTILE: Array<() => string> = [
  () => '__proto__',
  () => 'constructor',
  () => 'prototype',
  () => 'hasOwnProperty',
  () => 'toString',
  () => 'a\u0000b',
  () => 'bell\u0007\u001f\u007f',
  () => 'line\r\nbreak\ttab',
  () => 'x'.repeat(100 * 1024),
  () => '{{',
  () => '{{ $input',
  () => 'a }} b',
  () => '{{ }}',
  () => '{{{{}}}}',
  () => 'a {{ 1 }} b {{',
  () => '{{ "}}" }}',
  () => '{{ /* }} */ 1 }}',
  () => '{{ $f := function($n) { $f($n + 1) }; $f(0) }}',
  () => '{{ (function($g){ $g($g) })(function($g){ $g($g) }) }}',
  () => `{{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}`,
  () => `{{ ${'['.repeat(3000)}${']'.repeat(3000)} }}`,
  () => `{{ ${'{"a":'.repeat(1500)}1${'}'.repeat(1500)} }}`,
  () => `{{ 1${'+1'.repeat(4000)} }}`,
  () => `{{ $${'.a'.repeat(4000)} }}`,
  () => `{{ "${'x'.repeat(20_000)}" }}`,
  () => '{{1}}'.repeat(250),
  () => '{{ $match("aaaa", /(a+)+$/) }}',
  () => '{{ $replace("ab", /(?<=a)b/, "c") }}',
  () => '{{ $input.__proto__.polluted }}',
  () => '\u202eevil.exe\u202c',
  () => 'مرحبا بالعالم',
  () => '👩‍👩‍👧‍👦🔥',
  () => '\ud800 lone surrogate',
  () => '\u2028\u2029',
  () => 'e\u0301\u0301\u0301',
  () => 'NaN',
  () => 'Infinity',
  () => '-Infinity',
  () => '1e999',
  () => '-0',
  () => '0x1F',
  () => ' 42 ',
  () => '9007199254740993',
  () => '',
  () => '   ',
];

export const hostileString = (rng: Rng): string => rng.pick(HOSTILE)();

/** Numbers at the edges of what JSON carries, and numeric-looking strings. */
export const ODD_NUMBERS: Json[] = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 2,
  -(2 ** 31),
  'NaN',
  '1e999',
  'Infinity',
  '12',
];

/** JSON nested `levels` deep, as arrays or objects. */
export function deepJson(levels: number, rng: Rng): Json {
  let v: Json = 'bottom';
  const asArray = rng.chance(0.5);
  for (let i = 0; i < levels; i++) v = asArray ? [v] : { a: v };
  return v;
}

function numberFor(def: ParamDef, rng: Rng): number {
  if (def.default !== undefined && rng.chance(0.5)) return def.default as number;
  const schema = def.schema instanceof z.ZodNumber ? def.schema : undefined;
  const lo = schema?.minValue ?? -1000;
  const hi = Math.min(schema?.maxValue ?? 1000, lo + 100_000);
  return schema?.isInt === false ? lo + rng.next() * (hi - lo) : rng.int(Math.ceil(lo), Math.floor(hi));
}

function textFor(def: ParamDef, rng: Rng): string {
  if (typeof def.default === 'string' && rng.chance(0.4)) return def.default;
  if (def.ui.expression && rng.chance(0.3)) return rng.pick(EXPRESSIONS);
  if (def.ui.placeholder && rng.chance(0.7)) return def.ui.placeholder;
  return rng.pick(WORDS);
}

function cellFor(field: ListField, rng: Rng): Json {
  switch (field.widget) {
    case 'select':
      return field.options?.length ? rng.pick(field.options).value : field.default;
    case 'boolean':
      return rng.chance(0.5);
    case 'number':
      return rng.int(-10, 1000);
    default:
      if (field.expression && rng.chance(0.3)) return rng.pick(EXPRESSIONS);
      return rng.chance(0.3) ? '' : rng.pick(WORDS);
  }
}

/** A value the param's widget would produce: what the form writes when a person fills it in. */
function widgetValue(def: ParamDef, rng: Rng): Json {
  switch (def.ui.widget) {
    case 'select':
      return rng.pick(def.ui.options ?? [{ value: 'x', label: 'x' }]).value;
    case 'boolean':
      return rng.chance(0.5);
    case 'number':
      return def.ui.expression && rng.chance(0.15) ? '{{ $input.count }}' : numberFor(def, rng);
    case 'secret':
      return `s3cr3t-${rng.int(0, 1e6)}`;
    case 'credential':
      return `cred_00000000-0000-4000-8000-${String(rng.int(0, 1e6)).padStart(12, '0')}`;
    case 'dataTable':
      return `dt_00000000-0000-4000-8000-${String(rng.int(0, 1e6)).padStart(12, '0')}`;
    case 'code':
      return rng.chance(0.7) && typeof def.default === 'string' ? def.default : 'return items.slice(0, 1);';
    case 'json':
      if (def.ui.expression && rng.chance(0.2)) return '{{ $input }}';
      return def.default !== undefined && rng.chance(0.7) ? copyJson(def.default) : { k: [1, 'two', null] };
    case 'keyValue': {
      const out: Obj = {};
      for (let i = rng.int(0, 3); i > 0; i--) {
        out[`${rng.pick(WORDS)}${i}`] = def.ui.expression && rng.chance(0.3) ? rng.pick(EXPRESSIONS) : rng.pick(WORDS);
      }
      return out;
    }
    case 'list': {
      const rows: Obj[] = [];
      for (let i = rng.int(0, 4); i > 0; i--) {
        const row: Obj = {};
        for (const field of def.ui.fields ?? []) if (rng.chance(0.85)) row[field.key] = cellFor(field, rng);
        rows.push(row);
      }
      return rows;
    }
    default:
      return textFor(def, rng);
  }
}

/** Whether the compiler takes `value` for the param as written: valid, or an expression it checks at run time. */
function accepted(def: ParamDef, value: Json): boolean {
  if (isMissing(value)) return !def.ui.required;
  if (def.ui.expression && def.ui.widget !== 'list' && hasExpression(value)) return true;
  return def.schema.safeParse(value).success;
}

/** A widget value the param's schema accepts, tried a few times; else its default (which may be incomplete). */
function validValue(def: ParamDef, rng: Rng): Json {
  for (let i = 0; i < 6; i++) {
    const value = widgetValue(def, rng);
    if (accepted(def, value)) return value;
  }
  return def.default === undefined ? widgetValue(def, rng) : copyJson(def.default);
}

/**
 * Valid values drawn once per param from a fixed stream, so cases pick from them instead of running every
 * candidate through zod: validating candidates cost more than compiling the documents.
 */
const VALID_VALUES = new Map<ParamDef, Json[]>();
const poolRng = new Rng(1);
for (const def of SPECS.flatMap((spec) => Object.values(spec.params)))
  VALID_VALUES.set(
    def,
    Array.from({ length: 24 }, () => validValue(def, poolRng)),
  );

function validParams(spec: NodeSpec, rng: Rng): Obj {
  const params: Obj = {};
  for (const [key, def] of Object.entries(spec.params)) {
    const show = def.ui.showWhen;
    if (show) {
      const control = params[show.param] ?? spec.params[show.param]?.default;
      if (!show.oneOf.includes(control) && rng.chance(0.8)) continue;
    }
    if (!def.ui.required && rng.chance(0.3)) continue;
    params[key] = copyJson(rng.pick(VALID_VALUES.get(def)!));
  }
  return params;
}

function validPolicy(rng: Rng): Obj {
  const policy: Obj = {};
  if (rng.chance(0.5)) {
    const retry: Obj = {};
    if (rng.chance(0.6)) retry.maximumAttempts = rng.int(1, 10);
    if (rng.chance(0.6)) retry.initialIntervalMs = rng.int(0, 3_600_000);
    if (rng.chance(0.6)) retry.backoffCoefficient = rng.pick([1, 1.5, 2, 100]);
    policy.retry = retry;
  }
  if (rng.chance(0.4)) policy.timeoutMs = rng.int(1000, 86_400_000);
  if (rng.chance(0.3)) policy.continueOnFail = rng.chance(0.5);
  if (rng.chance(0.4)) policy.errorOutput = rng.chance(0.7);
  return policy;
}

const NAME_STYLES: Array<(spec: NodeSpec, i: number) => string> = [
  (spec, i) => `${spec.title} ${i + 1}`,
  (spec, i) => `${spec.title} ${i + 1}`,
  (_spec, i) => `خطوة ${i + 1}`,
  (spec, i) => `🚀 ${spec.title} #${i + 1}`,
  (_spec, i) => `\u202eRTL node ${i + 1}`,
  (_spec, i) => `  padded ${i + 1}  `,
];

export function makeNode(spec: NodeSpec, i: number, rng: Rng): Obj {
  const node: Obj = {
    id: rng.chance(0.8) ? `n${i}` : `${spec.type}_${i}`,
    type: spec.type,
    version: spec.version,
    name: rng.pick(NAME_STYLES)(spec, i),
    position: { x: rng.int(-5000, 5000), y: rng.int(-5000, 5000) },
    params: validParams(spec, rng),
  };
  if (rng.chance(0.25)) node.policy = validPolicy(rng);
  if (rng.chance(0.04)) node.disabled = true;
  if (rng.chance(0.05)) node.notes = rng.pick(WORDS);
  return node;
}

/** The spec a raw node names, when its type and version are registered. */
export function specOf(node: unknown): NodeSpec | undefined {
  if (!isObj(node) || typeof node.type !== 'string' || typeof node.version !== 'number') return undefined;
  return registry.get(node.type, node.version);
}

/** The outputs the compiler derives for a raw node (nodes/ports.ts), or none when they cannot be known. */
export function outputsOf(node: unknown): string[] {
  const spec = specOf(node);
  if (!spec || !isObj(node)) return [];
  const params = isObj(node.params) ? node.params : {};
  const policy = isObj(node.policy) ? node.policy : undefined;
  return nodeOutputPorts(spec, params, policy).map((p) => p.id);
}

export function edge(source: Obj, sourcePort: string, target: Obj, targetPort: string, rng: Rng): Obj {
  return { id: `e${rng.int(0, 1e9).toString(36)}`, source: source.id, sourcePort, target: target.id, targetPort };
}

export const isLoop = (node: Obj) => specOf(node)?.runtime.kind === 'loop';

/**
 * Edges from earlier nodes to later ones on real ports, one per input unless the target merges. A loop node gets a
 * body most of the time: the next few nodes chained from its body output and back into its loop end, closed to
 * everything else (ir/loops.ts), which makes the only cycles a valid graph has.
 */
function connect(nodes: Obj[], rng: Rng): Obj[] {
  const edges: Obj[] = [];
  const outputs = nodes.map((n) => outputsOf(n).filter((p) => !isLoop(n) || p !== LOOP_BODY_PORT));
  const sources: number[] = [];
  const feeds = (j: number) => outputs[j].length > 0 && sources.push(j);
  if (nodes.length) feeds(0);
  for (let j = 1; j < nodes.length; j++) {
    const spec = specOf(nodes[j]);
    if (spec && spec.inputs.length && sources.length && !rng.chance(0.08)) {
      const fanIn = spec.runtime.kind === 'merge' ? rng.int(1, 3) : 1;
      for (let k = 0; k < fanIn; k++) {
        const i = rng.chance(0.5) && sources.includes(j - 1) ? j - 1 : rng.pick(sources);
        edges.push(edge(nodes[i], rng.pick(outputs[i]), nodes[j], spec.inputs[0].id, rng));
      }
    }
    feeds(j);
    if (!isLoop(nodes[j]) || rng.chance(0.03)) continue;
    let [last, port] = [j, LOOP_BODY_PORT];
    for (let steps = rng.int(0, 3); steps > 0 && last + 1 < nodes.length; steps--) {
      const next = specOf(nodes[last + 1]);
      const kind = next?.runtime.kind;
      if (!next?.inputs.length || !outputs[last + 1].length || kind === 'loop' || kind === 'wait') break;
      edges.push(edge(nodes[last], port, nodes[last + 1], next.inputs[0].id, rng));
      [last, port] = [last + 1, rng.pick(outputs[last + 1])];
    }
    edges.push(edge(nodes[last], port, nodes[j], LOOP_END_PORT, rng));
    j = last; // the body's nodes take no other input and feed nothing else
  }
  return edges;
}

export function validishDocument(rng: Rng): Obj {
  // Every size up to 60, small ones more often: they cost less and break in as many ways.
  const size = rng.chance(0.1) ? rng.int(0, 3) : rng.int(0, rng.chance(0.5) ? 20 : 60);
  const nodes: Obj[] = [];
  for (let i = 0; i < size; i++) {
    const spec = i === 0 && rng.chance(0.9) ? rng.pick(TRIGGERS) : rng.pick(STEPS);
    nodes.push(makeNode(spec, i, rng));
  }
  const edges = connect(nodes, rng);
  // The editor lists nodes in the order they were added, not in the order they run.
  if (rng.chance(0.3)) shuffle(nodes, rng);
  const settings: Obj = {};
  if (rng.chance(0.2)) settings.runTimeoutMs = rng.int(1000, 366 * 86_400_000);
  if (rng.chance(0.15)) settings.mode = rng.pick(['standard', 'express']);
  return { nodes, edges, settings };
}

export function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}
