// Seeded random edits of a workflow document, the kind a person makes in the editor (change a param or a list row,
// rename, move, disable, add or delete nodes and edges), for the merge's property tests (three-way.test.ts).
// Every result is still a valid document; the same seed always gives the same edits.
import { Rng } from '../fuzz-documents';
import type { DocumentNode, WorkflowDocument } from '../types';
import { isPlainObject } from './json-diff';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Changes a string or number leaf under `holder[key]`, picked at random (row ids and keys are left alone). */
function pickLeaf(rng: Rng, holder: Record<string, unknown> | unknown[], key: string | number, depth = 0): void {
  const value = (holder as Record<string | number, unknown>)[key];
  const children: Array<string | number> = isPlainObject(value)
    ? Object.keys(value)
    : Array.isArray(value)
      ? value.map((_, i) => i)
      : [];
  if (children.length && depth < 6 && rng.chance(0.8)) {
    pickLeaf(rng, value as Record<string, unknown>, rng.pick(children), depth + 1);
    return;
  }
  // Rows keep their `id`/`key`: those name the row, and changing one is a delete and an add.
  if (key === 'id' || key === 'key') return;
  (holder as Record<string | number, unknown>)[key] =
    typeof value === 'number' ? value + rng.int(1, 9) : `edited ${rng.int(0, 1e6)}`;
}

const EDITS: Array<(rng: Rng, doc: WorkflowDocument, n: number) => void> = [
  function editParam(rng, doc) {
    const node = rng.pick(doc.nodes);
    const keys = Object.keys(node.params);
    if (keys.length) pickLeaf(rng, node.params, rng.pick(keys));
  },
  function rename(rng, doc, n) {
    rng.pick(doc.nodes).name = `Renamed ${n} ${rng.int(0, 1e6)}`;
  },
  function move(rng, doc) {
    const node = rng.pick(doc.nodes);
    node.position = { x: node.position.x + rng.int(-200, 200), y: node.position.y + rng.int(-200, 200) };
  },
  function toggleDisabled(rng, doc) {
    const node = rng.pick(doc.nodes);
    if (node.disabled) delete node.disabled;
    else node.disabled = true;
  },
  function setNodeTimeout(rng, doc) {
    rng.pick(doc.nodes).policy = { timeoutMs: rng.int(1, 60) * 1000 };
  },
  function removeNode(rng, doc) {
    if (doc.nodes.length < 3) return;
    const gone = rng.pick(doc.nodes.slice(1)).id;
    doc.nodes = doc.nodes.filter((node) => node.id !== gone);
    doc.edges = doc.edges.filter((e) => e.source !== gone && e.target !== gone);
  },
  function addNode(rng, doc, n) {
    const from = rng.pick(doc.nodes);
    const node: DocumentNode = {
      id: `added${n}_${rng.int(0, 1e6)}`,
      type: 'set-fields',
      version: 1,
      name: `Added ${n} ${rng.int(0, 1e6)}`,
      position: { x: from.position.x + 300, y: from.position.y + 120 },
      params: { fields: { note: `added ${n}` }, keepInput: true },
    };
    doc.nodes.push(node);
    doc.edges.push({ id: `e_${node.id}`, source: from.id, sourcePort: 'out', target: node.id, targetPort: 'in' });
  },
  function removeEdge(rng, doc) {
    if (doc.edges.length) doc.edges.splice(rng.int(0, doc.edges.length - 1), 1);
  },
];

/** `doc` after 1–6 random edits drawn from `seed`. */
export function randomEdits(doc: WorkflowDocument, seed: number): WorkflowDocument {
  const rng = new Rng(seed);
  const out = copy(doc);
  const count = rng.int(1, 6);
  for (let n = 0; n < count; n++) rng.pick(EDITS)(rng, out, n);
  return out;
}
