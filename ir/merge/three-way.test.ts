// The three-way merge on the HR onboarding template as installed (its instantiated document is the base): what each
// side changed is combined, true conflicts are reported and settled by choices, and the result still compiles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateTemplate, parseTemplateMeta, type Template } from '../../contracts/templates';
import { compilePlan } from '../compile';
import { parseDocument } from '../schema';
import type { DocumentNode, WorkflowDocument } from '../types';
import { randomEdits } from './random-edits';
import { MergeError, resolve, threeWayMerge, type MergeResult } from './three-way';

const DIR = fileURLToPath(new URL('../../templates/hr-onboarding', import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8'));
const cred = (n: number) => `cred_${String(n).repeat(8)}-1111-2222-3333-444444444444`;

/** The HR onboarding template as a user installs it: inputs, credentials and table answered. */
function installedOnboarding(): WorkflowDocument {
  const { nodes, edges } = readJson('workflow.json');
  const template: Template = {
    ...parseTemplateMeta(readJson('template.json'), 'hr-onboarding'),
    slug: 'hr-onboarding',
    document: { nodes, edges, settings: {} },
    readme: '',
  };
  const { document } = instantiateTemplate(template, {
    inputs: { hrDirectorEmail: 'director@acme.test', hrEmail: 'hr@acme.test', itEmail: 'it@acme.test' },
    credentials: { mail: cred(1), calendar: cred(2), bamboohr: cred(3) },
    tables: { equipment: 'dt_11111111-1111-2222-3333-444444444444' },
  });
  const parsed = parseDocument(document);
  if (!parsed.ok) throw new Error(parsed.diagnostics[0].message);
  return parsed.doc;
}

const BASE = installedOnboarding();
const copy = (): WorkflowDocument => JSON.parse(JSON.stringify(BASE));
const node = (doc: WorkflowDocument, id: string): DocumentNode => {
  const found = doc.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const compiles = (doc: WorkflowDocument) => compilePlan(doc, { workflowId: 'w', name: 'Onboarding' });
const expectCompiles = (doc: WorkflowDocument) => {
  const compiled = compiles(doc);
  expect(compiled.ok ? [] : compiled.diagnostics.map((d) => d.message)).toEqual([]);
};
const summary = (result: MergeResult) => result.changes.map((c) => [c.side, c.kind, c.nodeId, c.path.join('.')]);

test('the template as installed compiles (the base of every case below)', () => {
  expectCompiles(BASE);
});

test('no changes on either side: the base, nothing to review', () => {
  const result = threeWayMerge(BASE, copy(), copy());
  expect(result.merged).toEqual(BASE);
  expect(result.changes).toEqual([]);
  expect(result.conflicts).toEqual([]);
});

test('only the user changed something: their version, listed as theirs', () => {
  const ours = copy();
  node(ours, 'welcome').params.subject = 'Welcome aboard!';
  const result = threeWayMerge(BASE, ours, copy());
  expect(result.merged).toEqual(ours);
  expect(result.changes).toEqual([
    {
      side: 'ours',
      kind: 'param',
      nodeId: 'welcome',
      path: ['params', 'subject'],
      before: node(BASE, 'welcome').params.subject,
      after: 'Welcome aboard!',
    },
  ]);
});

test('only the update changed something: the update, listed as the update', () => {
  const theirs = copy();
  node(theirs, 'approval').params.deadline = 'P5D';
  node(theirs, 'approval').name = 'HR director approval';
  const result = threeWayMerge(BASE, copy(), theirs);
  expect(result.merged).toEqual(theirs);
  expect(summary(result)).toEqual([
    ['theirs', 'field', 'approval', 'name'],
    ['theirs', 'param', 'approval', 'params.deadline'],
  ]);
});

test("the issue's case: the user edits one node, v1.1.0 changes another; both are kept and it compiles", () => {
  const ours = copy();
  node(ours, 'welcome').params.text = 'Hi {{ $trigger.firstName }}, see you on {{ $trigger.startDate }}!';
  const theirs = copy();
  (node(theirs, 'settings').params.fields as Record<string, unknown>).officeLocation = 'Main lobby';
  node(theirs, 'managerSummary').params.subject = '{{ "New starter: " & $node("Settings").fullName }}';
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(node(result.merged, 'welcome').params.text).toBe(node(ours, 'welcome').params.text);
  expect((node(result.merged, 'settings').params.fields as Record<string, unknown>).officeLocation).toBe('Main lobby');
  expect(node(result.merged, 'managerSummary').params.subject).toBe(node(theirs, 'managerSummary').params.subject);
  expect(summary(result)).toEqual([
    ['theirs', 'param', 'settings', 'params.fields.officeLocation'],
    ['ours', 'param', 'welcome', 'params.text'],
    ['theirs', 'param', 'managerSummary', 'params.subject'],
  ]);
  expectCompiles(resolve(result, {}));
});

test('the same change on both sides is no conflict', () => {
  const ours = copy();
  const theirs = copy();
  node(ours, 'offerPdf').params.pageSize = 'Letter';
  node(theirs, 'offerPdf').params.pageSize = 'Letter';
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(summary(result)).toEqual([['both', 'param', 'offerPdf', 'params.pageSize']]);
  expect(node(result.merged, 'offerPdf').params.pageSize).toBe('Letter');
});

describe('a param both sides changed differently', () => {
  const ours = copy();
  const theirs = copy();
  node(ours, 'welcome').params.subject = 'Mine';
  node(theirs, 'welcome').params.subject = 'Update';
  const result = threeWayMerge(BASE, ours, theirs);
  const [conflict] = result.conflicts;

  test('is one conflict naming the node, the param and the three values', () => {
    expect(result.conflicts).toEqual([
      {
        id: JSON.stringify(['welcome', 'params', 'subject']),
        nodeId: 'welcome',
        nodeName: 'Welcome email',
        path: ['params', 'subject'],
        base: node(BASE, 'welcome').params.subject,
        ours: 'Mine',
        theirs: 'Update',
      },
    ]);
    expect(node(result.merged, 'welcome').params.subject).toBe('Mine');
  });

  test('is settled by keeping mine, taking the update or an edited value', () => {
    expect(node(resolve(result, { [conflict.id]: 'ours' }), 'welcome').params.subject).toBe('Mine');
    expect(node(resolve(result, { [conflict.id]: 'theirs' }), 'welcome').params.subject).toBe('Update');
    const edited = resolve(result, { [conflict.id]: { value: 'Both, really' } });
    expect(node(edited, 'welcome').params.subject).toBe('Both, really');
    expectCompiles(edited);
  });

  test('cannot be resolved without a choice', () => {
    expect(() => resolve(result, {})).toThrow('Choose which version to keep for Welcome email › params.subject');
  });

  test('an edited value that breaks the document is refused with the reason', () => {
    const renamed = threeWayMerge(
      BASE,
      { ...copy(), nodes: copy().nodes.map((n) => (n.id === 'bamboo' ? { ...n, name: 'Mine' } : n)) },
      { ...copy(), nodes: copy().nodes.map((n) => (n.id === 'bamboo' ? { ...n, name: 'Theirs' } : n)) },
    );
    const blank = { [renamed.conflicts[0].id]: { value: ' ' } };
    expect(() => resolve(renamed, blank)).toThrow(MergeError);
    expect(() => resolve(renamed, blank)).toThrow(
      'The merged workflow is not valid: Node "bamboo": name: must be visible text',
    );
  });
});

describe('one side deletes a node the other changed', () => {
  const ours = copy();
  ours.nodes = ours.nodes.filter((n) => n.id !== 'onHold');
  ours.edges = ours.edges.filter((e) => e.target !== 'onHold');
  const theirs = copy();
  node(theirs, 'onHold').params.subject = 'On hold';
  const result = threeWayMerge(BASE, ours, theirs);

  test('is a conflict on the whole node', () => {
    expect(result.conflicts).toMatchObject([
      { nodeId: 'onHold', nodeName: 'Offer on hold', path: [], ours: undefined },
    ]);
    expect(result.conflicts[0].theirs).toEqual(node(theirs, 'onHold'));
  });

  test('keeping the deletion drops the node and its edge', () => {
    const doc = resolve(result, { [result.conflicts[0].id]: 'ours' });
    expect(doc.nodes.map((n) => n.id)).not.toContain('onHold');
    expect(doc.edges.some((e) => e.target === 'onHold')).toBe(false);
    expectCompiles(doc);
  });

  test('taking the update brings the node back with the edge the deletion dropped', () => {
    const doc = resolve(result, { [result.conflicts[0].id]: 'theirs' });
    expect(node(doc, 'onHold').params.subject).toBe('On hold');
    expect(doc.edges.find((e) => e.target === 'onHold')).toMatchObject({ source: 'approval', sourcePort: 'rejected' });
    expectCompiles(doc);
  });

  test('deleting a node the other side only moved is no conflict', () => {
    const moved = copy();
    node(moved, 'onHold').position = { x: 5, y: 5 };
    const quiet = threeWayMerge(BASE, moved, ours);
    expect(quiet.conflicts).toEqual([]);
    expect(quiet.merged.nodes.map((n) => n.id)).not.toContain('onHold');
  });
});

test('nodes and edges added on both sides are all kept, with clashing names and edge ids made unique', () => {
  const add = (doc: WorkflowDocument, id: string, after: string, note: string) => {
    doc.nodes.push({
      id,
      type: 'set-fields',
      version: 1,
      name: 'Notes',
      position: { x: 0, y: 600 },
      params: { fields: { note }, keepInput: true },
    });
    doc.edges.push({ id: 'e-new', source: after, sourcePort: 'out', target: id, targetPort: 'in' });
  };
  const ours = copy();
  add(ours, 'mine', 'welcome', 'from me');
  const theirs = copy();
  add(theirs, 'update', 'managerSummary', 'from the update');
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(result.merged.nodes.slice(-2).map((n) => [n.id, n.name])).toEqual([
    ['mine', 'Notes'],
    ['update', 'Notes (2)'],
  ]);
  expect(result.merged.edges.slice(-2).map((e) => [e.id, e.source, e.target])).toEqual([
    ['e-new', 'welcome', 'mine'],
    ['e-new-2', 'managerSummary', 'update'],
  ]);
  expect(summary(result)).toEqual(
    expect.arrayContaining([
      ['ours', 'node-added', 'mine', ''],
      ['theirs', 'node-added', 'update', ''],
      ['theirs', 'field', 'update', 'name'],
      ['ours', 'edge-added', undefined, ''],
      ['theirs', 'edge-added', undefined, ''],
    ]),
  );
  expectCompiles(resolve(result, {}));
});

test('an edge removed on one side stays removed while the other side edits elsewhere', () => {
  const ours = copy();
  node(ours, 'invite').params.location = 'Lobby';
  const theirs = copy();
  theirs.edges = theirs.edges.filter((e) => e.id !== 'approval-onHold');
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.merged.edges.map((e) => e.id)).toEqual(theirs.edges.map((e) => e.id));
  expect(node(result.merged, 'invite').params.location).toBe('Lobby');
  expect(result.changes.filter((c) => c.kind === 'edge-removed')).toEqual([
    {
      side: 'theirs',
      kind: 'edge-removed',
      path: [],
      before: BASE.edges.find((e) => e.id === 'approval-onHold'),
      after: undefined,
    },
  ]);
});

test('form fields merge row by row by their key: a relabelled row and an added row are both kept', () => {
  type Field = { key: string; label: string };
  const fields = (doc: WorkflowDocument) => node(doc, 'form').params.fields as Field[];
  const ours = copy();
  fields(ours).find((f) => f.key === 'role')!.label = 'Job title';
  const theirs = copy();
  fields(theirs).splice(2, 0, { key: 'phone', label: 'Phone', type: 'text' } as Field);
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(fields(result.merged).map((f) => f.label)).toEqual(
    fields(theirs).map((f) => (f.key === 'role' ? 'Job title' : f.label)),
  );
  expect(summary(result)).toEqual([
    ['ours', 'param', 'form', 'params.fields.role.label'],
    ['theirs', 'param', 'form', 'params.fields.phone'],
  ]);
  expectCompiles(result.merged);
});

test('positions never conflict: the user layout wins, and an update moving an untouched node moves it', () => {
  const ours = copy();
  const theirs = copy();
  node(ours, 'welcome').position = { x: 1, y: 1 };
  node(theirs, 'welcome').position = { x: 2, y: 2 };
  node(theirs, 'invite').position = { x: 3, y: 3 };
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toEqual([]);
  expect(node(result.merged, 'welcome').position).toEqual({ x: 1, y: 1 });
  expect(node(result.merged, 'invite').position).toEqual({ x: 3, y: 3 });
});

test('workflow settings merge like params, and conflict like them', () => {
  const ours = { ...copy(), settings: { runTimeoutMs: 60_000 } };
  const theirs = { ...copy(), settings: { runTimeoutMs: 120_000, mode: 'standard' as const } };
  const result = threeWayMerge(BASE, ours, theirs);
  expect(result.conflicts).toMatchObject([{ nodeName: 'Workflow settings', path: ['runTimeoutMs'] }]);
  expect(resolve(result, { [result.conflicts[0].id]: 'theirs' }).settings).toEqual(theirs.settings);
});

test('an invalid side is refused, naming which one', () => {
  expect(() => threeWayMerge(BASE, copy(), { nodes: 'x' })).toThrow(/^The update is not a valid workflow document/);
});

describe('random edits (seeded): merging with an unchanged side gives the other side exactly', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1);
  test.each(seeds)('seed %i', (seed) => {
    const edited = randomEdits(BASE, seed);
    const parsed = parseDocument(edited);
    expect(parsed.ok).toBe(true);
    const mine = threeWayMerge(BASE, edited, BASE);
    expect(mine.conflicts).toEqual([]);
    expect(mine.merged).toEqual(edited);
    expect(mine.changes.every((c) => c.side === 'ours')).toBe(true);
    const update = threeWayMerge(BASE, BASE, edited);
    expect(update.merged).toEqual(edited);
    expect(update.changes.every((c) => c.side === 'theirs')).toBe(true);
  });

  test.each(seeds.slice(0, 30))('seed %i against another random version: a valid resolution', (seed) => {
    const result = threeWayMerge(BASE, randomEdits(BASE, seed), randomEdits(BASE, seed + 1000));
    const choices = Object.fromEntries(result.conflicts.map((c, i) => [c.id, i % 2 ? 'theirs' : 'ours'] as const));
    expect(parseDocument(resolve(result, choices)).ok).toBe(true);
  });
});
