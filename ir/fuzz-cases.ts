// The corruptions of the compiler fuzz test (ir/fuzz.test.ts), and its cases: a valid-ish document
// (ir/fuzz-documents.ts) broken the ways buggy editors, hand-edited imports and attackers break them, each
// corruption by name so a failing case says what was done to it.
import {
  EXPRESSIONS,
  ODD_NUMBERS,
  Rng,
  TRIGGERS,
  WORDS,
  caseSeed,
  copyJson,
  deepJson,
  edge,
  hostileString,
  isLoop,
  isObj,
  makeNode,
  outputsOf,
  specOf,
  validishDocument,
  type Json,
  type Obj,
} from './fuzz-documents';
import { LOOP_BODY_PORT, LOOP_END_PORT } from './loops';

const nodesOf = (doc: Obj): Obj[] => (Array.isArray(doc.nodes) ? doc.nodes.filter(isObj) : []);
const edgesOf = (doc: Obj): Obj[] => (Array.isArray(doc.edges) ? doc.edges.filter(isObj) : []);
const addEdge = (doc: Obj, e: Obj) => Array.isArray(doc.edges) && doc.edges.push(e);
const someNode = (doc: Obj, rng: Rng): Obj | undefined => {
  const nodes = nodesOf(doc);
  return nodes.length ? rng.pick(nodes) : undefined;
};
const paramKeys = (node: Obj): string[] => Object.keys(specOf(node)?.params ?? {});

/** A key defined as data, even `__proto__` (plain assignment would set the prototype instead). */
function setKey(target: Obj, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function wrongTypeFor(value: Json, rng: Rng): Json {
  const options: Json[] = [
    42,
    'text',
    true,
    null,
    [],
    [1, 2],
    {},
    { nested: { deeper: 1 } },
    { ['k'.repeat(3000)]: 'a key longer than any param allows' },
    ...ODD_NUMBERS,
    '{{ $input.value }}',
  ];
  let out = rng.pick(options);
  for (let i = 0; i < 3 && typeof out === typeof value && Array.isArray(out) === Array.isArray(value); i++)
    out = rng.pick(options);
  return out;
}

type Mutator = (doc: Obj, rng: Rng) => void;

/** Each corruption by name, so a failing case says what was done to it. */
export const MUTATORS: Record<string, Mutator> = {
  paramWrongType(doc, rng) {
    const node = someNode(doc, rng);
    const keys = node ? paramKeys(node) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    const key = rng.pick(keys);
    node.params[key] = wrongTypeFor(node.params[key], rng);
  },
  paramMissingRequired(doc, rng) {
    const node = someNode(doc, rng);
    const spec = node && specOf(node);
    if (!node || !spec || !isObj(node.params)) return;
    const required = Object.keys(spec.params).filter((k) => spec.params[k].ui.required);
    if (!required.length) return;
    const key = rng.pick(required);
    if (rng.chance(0.5)) delete node.params[key];
    else node.params[key] = rng.pick([null, '', '   ', '\t\n']);
  },
  paramUnknown(doc, rng) {
    const node = someNode(doc, rng);
    if (!node || !isObj(node.params)) return;
    const keys = ['colour', 'URL', 'k'.repeat(300), 'k'.repeat(5000), 'ÿ', '__proto__', 'constructor', 'toString'];
    const key = rng.pick(keys);
    setKey(node.params, key, rng.chance(0.5) ? rng.pick(WORDS) : { polluted: true });
  },
  paramHostileValue(doc, rng) {
    const node = someNode(doc, rng);
    const keys = node ? paramKeys(node) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    node.params[rng.pick(keys)] = hostileString(rng);
  },
  costlyExpressions(doc, rng) {
    // JSONata's parser does work quadratic in the steps of a path: many long `$.a.a.a…` cost seconds to check.
    const node = someNode(doc, rng);
    const spec = node && specOf(node);
    const keys = spec ? Object.keys(spec.params).filter((k) => spec.params[k].ui.expression) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    const steps = rng.pick([90, 150, 1000, 3000]);
    const path = (i: number) => `{{ $${'.a'.repeat(steps)}.k${i} }}`;
    const many = Array.from({ length: rng.int(1, 60) }, (_, i) => path(i));
    const key = rng.pick(keys);
    node.params[key] =
      spec!.params[key].ui.widget === 'keyValue'
        ? Object.fromEntries(many.map((p, i) => [`f${i}`, p]))
        : many.join(' ');
  },
  paramDeepJson(doc, rng) {
    const node = someNode(doc, rng);
    const keys = node ? paramKeys(node) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    node.params[rng.pick(keys)] = deepJson(rng.pick([20, 40, 500]), rng);
  },
  paramPrototypeKeyInside(doc, rng) {
    const node = someNode(doc, rng);
    const keys = node ? paramKeys(node) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    node.params[rng.pick(keys)] = JSON.parse('{"a": {"__proto__": {"polluted": true}}, "constructor": 1}');
  },
  paramOddNumber(doc, rng) {
    const node = someNode(doc, rng);
    const keys = node ? paramKeys(node) : [];
    if (!node || !keys.length || !isObj(node.params)) return;
    node.params[rng.pick(keys)] = rng.pick(ODD_NUMBERS);
  },
  expressionWhereNotAllowed(doc, rng) {
    const node = someNode(doc, rng);
    const spec = node && specOf(node);
    if (!node || !spec || !isObj(node.params)) return;
    const keys = Object.keys(spec.params).filter((k) => !spec.params[k].ui.expression);
    if (keys.length) node.params[rng.pick(keys)] = rng.pick(EXPRESSIONS);
  },
  listParamBad(doc, rng) {
    const lists = nodesOf(doc).filter((n) => specOf(n)?.listOutputs);
    if (!lists.length) return;
    const node = rng.pick(lists);
    const key = specOf(node)!.listOutputs!.param;
    const row = { output: 'A', value: '{{ $input.a }}', operator: 'equals', compare: 1 };
    const bad: Json[] = [
      'rules',
      {},
      null,
      42,
      [null],
      [1, 'two'],
      [{}],
      [{ ...row, operator: 'bogus' }],
      [{ ...row, extra: true }],
      [{ ...row, output: 5 }],
      [{ ...row, output: 'x'.repeat(500) }],
      Array.from({ length: 65 }, () => ({ ...row })),
      '{{ $input.rules }}',
      [JSON.parse('{"__proto__": {"operator": "equals"}}')],
      [{ ...row, value: deepJson(40, rng) }],
      [{ ...row, compare: '{{ $input' }],
    ];
    if (isObj(node.params)) node.params[key] = copyJson(rng.pick(bad));
  },
  unknownType(doc, rng) {
    const node = someNode(doc, rng);
    if (node) node.type = rng.pick(['no-such-node', 'slack-post', 'HTTP', '../etc', '', 42, null, 'x'.repeat(70)]);
  },
  unknownVersion(doc, rng) {
    const node = someNode(doc, rng);
    if (node) node.version = rng.pick([2, 0, -1, 1.5, '1', 10_000, 10_001, 1e308, null]);
  },
  duplicateId(doc, rng) {
    const nodes = nodesOf(doc);
    if (nodes.length >= 2) rng.pick(nodes).id = rng.pick(nodes).id;
  },
  duplicateName(doc, rng) {
    const nodes = nodesOf(doc);
    if (nodes.length >= 2) rng.pick(nodes).name = rng.pick(nodes).name;
  },
  duplicateEdgeId(doc, rng) {
    const edges = edgesOf(doc);
    if (edges.length >= 2) rng.pick(edges).id = rng.pick(edges).id;
  },
  hostileNodeField(doc, rng) {
    const node = someNode(doc, rng);
    if (node) node[rng.pick(['id', 'name', 'notes', 'type'])] = hostileString(rng);
  },
  hostileEdgeField(doc, rng) {
    const edges = edgesOf(doc);
    if (edges.length)
      rng.pick(edges)[rng.pick(['id', 'source', 'sourcePort', 'target', 'targetPort'])] = hostileString(rng);
  },
  prototypeIds(doc, rng) {
    // `__proto__` and friends pass the id pattern: every map keyed by node id must still hold them as data.
    const node = someNode(doc, rng);
    if (!node) return;
    const id = rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']);
    for (const e of edgesOf(doc)) {
      if (e.source === node.id) e.source = id;
      if (e.target === node.id) e.target = id;
    }
    node.id = id;
  },
  cycle(doc, rng) {
    const nodes = nodesOf(doc).filter((n) => outputsOf(n).length && specOf(n)?.inputs.length);
    if (nodes.length < 2) return;
    const [a, b] = [rng.pick(nodes), rng.pick(nodes)];
    addEdge(doc, edge(b, rng.pick(outputsOf(b)), a, specOf(a)!.inputs[0].id, rng));
    addEdge(doc, edge(a, rng.pick(outputsOf(a)), b, specOf(b)!.inputs[0].id, rng));
  },
  selfLoop(doc, rng) {
    const nodes = nodesOf(doc).filter((n) => outputsOf(n).length && specOf(n)?.inputs.length);
    if (!nodes.length) return;
    const n = rng.pick(nodes);
    addEdge(doc, edge(n, rng.pick(outputsOf(n)), n, specOf(n)!.inputs[0].id, rng));
  },
  danglingEdge(doc, rng) {
    const node = someNode(doc, rng) ?? { id: 'n0' };
    const ghost = { id: rng.pick(['ghost', 'n999', 'N0']) };
    addEdge(doc, rng.chance(0.5) ? edge(node, 'out', ghost, 'in', rng) : edge(ghost, 'out', node, 'in', rng));
  },
  removeNode(doc, rng) {
    if (Array.isArray(doc.nodes) && doc.nodes.length) doc.nodes.splice(rng.int(0, doc.nodes.length - 1), 1);
  },
  unknownPort(doc, rng) {
    const edges = edgesOf(doc);
    if (!edges.length) return;
    const e = rng.pick(edges);
    if (rng.chance(0.5)) e.sourcePort = rng.pick(['nope', 'error', 'fallback', '7', '0', 'true', 'in', 'OUT']);
    else e.targetPort = rng.pick(['nope', 'out', 'input', 'IN']);
  },
  errorOutputEdge(doc, rng) {
    const nodes = nodesOf(doc).filter((n) => specOf(n)?.runtime.kind === 'activity');
    const targets = nodesOf(doc).filter((n) => specOf(n)?.inputs.length);
    if (!nodes.length || !targets.length) return;
    const n = rng.pick(nodes);
    if (rng.chance(0.7)) n.policy = { ...(isObj(n.policy) ? n.policy : {}), errorOutput: true };
    const t = rng.pick(targets);
    addEdge(doc, edge(n, 'error', t, specOf(t)!.inputs[0].id, rng));
  },
  fanIn(doc, rng) {
    const nodes = nodesOf(doc);
    const targets = nodes.filter((n) => specOf(n)?.inputs.length && specOf(n)?.runtime.kind !== 'merge');
    const sources = nodes.filter((n) => outputsOf(n).length);
    if (!targets.length || sources.length < 2) return;
    const t = rng.pick(targets);
    for (const s of [rng.pick(sources), rng.pick(sources)]) addEdge(doc, edge(s, rng.pick(outputsOf(s)), t, 'in', rng));
  },
  randomEdges(doc, rng) {
    // Real ports between any two nodes: cycles through loops and disabled nodes, fan-ins, edges into loop ends.
    const nodes = nodesOf(doc).filter((n) => outputsOf(n).length || specOf(n)?.inputs.length);
    const sources = nodes.filter((n) => outputsOf(n).length);
    const targets = nodes.filter((n) => specOf(n)?.inputs.length);
    if (!sources.length || !targets.length) return;
    for (let i = rng.int(1, 6); i > 0; i--) {
      const [s, t] = [rng.pick(sources), rng.pick(targets)];
      addEdge(doc, edge(s, rng.pick(outputsOf(s)), t, rng.pick(specOf(t)!.inputs).id, rng));
    }
  },
  loopEndFromOutside(doc, rng) {
    const loops = nodesOf(doc).filter(isLoop);
    const sources = nodesOf(doc).filter((n) => outputsOf(n).length);
    if (!loops.length || !sources.length) return;
    const s = rng.pick(sources);
    addEdge(doc, edge(s, rng.pick(outputsOf(s)), rng.pick(loops), LOOP_END_PORT, rng));
  },
  loopBodyEscape(doc, rng) {
    const loops = new Set(
      nodesOf(doc)
        .filter(isLoop)
        .map((n) => n.id),
    );
    const inBody = edgesOf(doc).filter((e) => loops.has(e.source) && e.sourcePort === LOOP_BODY_PORT);
    const targets = nodesOf(doc).filter((n) => specOf(n)?.inputs.length);
    const body = inBody.length ? nodesOf(doc).find((n) => n.id === rng.pick(inBody).target) : undefined;
    if (!body || !outputsOf(body).length || !targets.length) return;
    const t = rng.pick(targets);
    addEdge(doc, edge(body, rng.pick(outputsOf(body)), t, specOf(t)!.inputs[0].id, rng));
  },
  disableLoops(doc) {
    for (const n of nodesOf(doc)) if (isLoop(n)) n.disabled = true;
  },
  errorOutputOff(doc) {
    const failing = new Set(
      edgesOf(doc)
        .filter((e) => e.sourcePort === 'error')
        .map((e) => e.source),
    );
    for (const n of nodesOf(doc)) if (failing.has(n.id) && isObj(n.policy)) n.policy.errorOutput = false;
  },
  extraTriggers(doc, rng) {
    if (!Array.isArray(doc.nodes)) return;
    for (let i = rng.int(1, 3); i > 0; i--) doc.nodes.push(makeNode(rng.pick(TRIGGERS), doc.nodes.length, rng));
  },
  noTrigger(doc) {
    if (Array.isArray(doc.nodes)) doc.nodes = doc.nodes.filter((n: Json) => specOf(n)?.runtime.kind !== 'trigger');
  },
  disableTrigger(doc) {
    for (const n of nodesOf(doc)) if (specOf(n)?.runtime.kind === 'trigger') n.disabled = true;
  },
  disabledChain(doc, rng) {
    const nodes = nodesOf(doc);
    if (!nodes.length) return;
    const start = rng.int(0, nodes.length - 1);
    const ids = new Set([nodes[start].id]);
    // Follow edges downstream so the disabled nodes feed each other.
    for (let step = rng.int(1, 6); step > 0; step--) {
      for (const e of edgesOf(doc)) if (ids.has(e.source)) ids.add(e.target);
    }
    for (const n of nodes) if (ids.has(n.id)) n.disabled = true;
  },
  disableAll(doc) {
    for (const n of nodesOf(doc)) n.disabled = true;
  },
  policyOutOfBounds(doc, rng) {
    const node = someNode(doc, rng);
    if (!node) return;
    node.policy = rng.pick<Json>([
      { retry: { maximumAttempts: 0 } },
      { retry: { maximumAttempts: 11 } },
      { retry: { maximumAttempts: 1.5 } },
      { retry: { maximumAttempts: '3' } },
      { retry: { backoffCoefficient: 0.5 } },
      { retry: { initialIntervalMs: -1 } },
      { retry: null },
      { retry: { sneaky: 1 } },
      { timeoutMs: 0 },
      { timeoutMs: 1e12 },
      { timeoutMs: 1e308 },
      { timeoutMs: '60000' },
      { continueOnFail: 1 },
      { errorOutput: 'yes' },
      { errorOutput: true, sneaky: true },
      'fast',
      null,
      [],
      deepJson(500, rng),
    ]);
  },
  settingsOdd(doc, rng) {
    doc.settings = rng.pick<Json>([
      { mode: 'express' },
      { mode: 'express', runTimeoutMs: 5000 },
      { mode: 'turbo' },
      { mode: hostileString(rng) },
      { mode: null },
      { runTimeoutMs: 5 },
      { runTimeoutMs: 1.5 },
      { runTimeoutMs: '60000' },
      { runTimeoutMs: 1e308 },
      { extra: deepJson(500, rng) },
      null,
      [],
      'standard',
    ]);
  },
  positionOdd(doc, rng) {
    const node = someNode(doc, rng);
    if (node)
      node.position = rng.pick<Json>([undefined, null, { x: 'left', y: 0 }, { x: 1e9, y: 0 }, { x: 0 }, [0, 0]]);
  },
  nodeShape(doc, rng) {
    const node = someNode(doc, rng);
    if (!node) return;
    const field = rng.pick(['id', 'type', 'version', 'name', 'params', 'disabled', 'notes']);
    if (rng.chance(0.4)) delete node[field];
    else node[field] = rng.pick<Json>([null, 42, true, [], {}, 'x', { nested: deepJson(10, rng) }]);
  },
  edgeShape(doc, rng) {
    const edges = edgesOf(doc);
    if (!edges.length) return;
    const e = rng.pick(edges);
    const field = rng.pick(['id', 'source', 'sourcePort', 'target', 'targetPort']);
    if (rng.chance(0.4)) delete e[field];
    else e[field] = rng.pick<Json>([null, 42, true, [], {}, '', 'a b']);
  },
  arrayItems(doc, rng) {
    const list = rng.chance(0.5) ? doc.nodes : doc.edges;
    if (Array.isArray(list)) list.splice(rng.int(0, list.length), 0, rng.pick<Json>([null, 42, 'node', [], true]));
  },
  topLevel(doc, rng) {
    const key = rng.pick(['nodes', 'edges', 'settings']);
    if (rng.chance(0.4)) delete doc[key];
    else doc[key] = rng.pick<Json>([null, 'x', 42, {}, { 0: {} }]);
    if (rng.chance(0.3)) setKey(doc, '__proto__', { polluted: true });
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

export interface FuzzCase {
  doc: unknown;
  corruptions: string[];
}

/** Case `index` of a run seeded `seed`: a valid-ish graph, corrupted in 0–4 ways (30% are left alone). */
export function generateCase(seed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const doc = validishDocument(rng);
  const corruptions: string[] = [];
  if (rng.chance(0.7)) {
    for (let i = rng.int(1, 4); i > 0; i--) {
      const name = rng.pick(MUTATOR_NAMES);
      MUTATORS[name](doc, rng);
      corruptions.push(name);
    }
  }
  if (rng.chance(0.003)) return { doc: rng.pick<Json>([null, [], 'workflow', 42]), corruptions: ['notAnObject'] };
  return { doc, corruptions };
}
