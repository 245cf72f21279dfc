// The update review's state: grouping and badges, the summary line, choices and when Apply is allowed, n / p order.
import { resolve, threeWayMerge } from '../../../ir/merge/three-way';
import type { DocumentNode, WorkflowDocument } from '../../../ir/types';
import {
  collectChoices,
  editMode,
  editSeed,
  formatValue,
  groupDiff,
  parseEdit,
  pathLabel,
  stepConflict,
  summaryText,
} from './three-way-diff-state';

const node = (id: string, name: string, params: Record<string, unknown>, x = 0): DocumentNode => ({
  id,
  type: 'set-fields',
  version: 1,
  name,
  position: { x, y: 0 },
  params,
});

const BASE: WorkflowDocument = {
  nodes: [
    node('trigger', 'Start', { title: 'Hi' }),
    node('a', 'Prepare', { fields: { greeting: 'Hello', count: 1 } }, 300),
    node('b', 'Notify', { subject: 'Old subject', to: 'hr@acme.test' }, 600),
    node('c', 'Archive', { folder: 'old' }, 900),
  ],
  edges: [
    { id: 'e1', source: 'trigger', sourcePort: 'out', target: 'a', targetPort: 'in' },
    { id: 'e2', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' },
    { id: 'e3', source: 'b', sourcePort: 'out', target: 'c', targetPort: 'in' },
  ],
  settings: {},
};
const copy = (): WorkflowDocument => JSON.parse(JSON.stringify(BASE));

/** Yours: a greeting and a subject; the update: the count, the subject, a new edge, and the folder's node deleted. */
function scenario() {
  const ours = copy();
  const theirs = copy();
  (ours.nodes[1].params.fields as Record<string, unknown>).greeting = 'Welcome';
  ours.nodes[2].params.subject = 'My subject';
  ours.nodes[3].params.folder = 'mine';
  (theirs.nodes[1].params.fields as Record<string, unknown>).count = 2;
  theirs.nodes[2].params.subject = 'New subject';
  theirs.nodes[2].params.to = 'people@acme.test';
  theirs.nodes = theirs.nodes.filter((n) => n.id !== 'c');
  theirs.edges = theirs.edges.filter((e) => e.target !== 'c');
  theirs.edges.push({ id: 'e4', source: 'trigger', sourcePort: 'out', target: 'b', targetPort: 'in' });
  return threeWayMerge(BASE, ours, theirs);
}

test('rows are grouped by node, conflicts first, each group badged by who changed it', () => {
  const groups = groupDiff(scenario(), { b: 'Notify (Send email)' });
  expect(groups.map((g) => [g.title, g.badges])).toEqual([
    ['Notify (Send email)', ['conflict', 'theirs']],
    ['Archive', ['conflict']],
    ['Prepare', ['theirs', 'ours']],
    ['Connections', ['theirs']],
  ]);
  expect(groups[0].rows.map((r) => [r.kind, r.label])).toEqual([
    ['conflict', 'subject'],
    ['change', 'to'],
  ]);
  expect(groups[1].rows.map((r) => r.label)).toEqual(['Deleted on one side, changed on the other']);
  expect(groups[2].rows.map((r) => r.label)).toEqual(['fields › greeting', 'fields › count']);
  // The edge into Archive stays while the conflict keeps your Archive (the default until the user chooses).
  expect(groups[3].rows.map((r) => r.label)).toEqual(['Added: Start → Notify']);
});

test('the summary counts what the update brings, what of yours is kept and what is left to resolve', () => {
  expect(summaryText(scenario())).toBe('3 changes from the update, 1 of yours kept, 2 conflicts to resolve');
  expect(summaryText(threeWayMerge(BASE, copy(), copy()))).toBe('No differences: your copy already matches the update');
  const same = copy();
  same.nodes[0].params.title = 'Hey';
  expect(summaryText(threeWayMerge(BASE, same, same))).toBe('1 change made on both sides');
});

test('Apply waits for a choice on every conflict and for edited values that parse', () => {
  const result = scenario();
  const [subject, archive] = result.conflicts;
  expect(collectChoices(result, {})).toEqual({ ok: false, open: 2, invalid: [] });
  expect(collectChoices(result, { [subject.id]: 'theirs' })).toEqual({ ok: false, open: 1, invalid: [] });
  const done = collectChoices(result, { [subject.id]: { edit: 'Both subjects' }, [archive.id]: 'theirs' });
  expect(done).toEqual({ ok: true, choices: { [subject.id]: { value: 'Both subjects' }, [archive.id]: 'theirs' } });
  const doc = resolve(result, done.ok ? done.choices : {});
  expect(doc.nodes.map((n) => [n.id, n.params.subject])).toEqual([
    ['trigger', undefined],
    ['a', undefined],
    ['b', 'Both subjects'],
  ]);
});

test('edited values are text where both sides hold text, JSON elsewhere, and whole nodes are not edited', () => {
  const ours = copy();
  const theirs = copy();
  ours.nodes[1].params.fields = { greeting: 'Yo', count: 5 };
  theirs.nodes[1].params.fields = { greeting: 'Yo', count: 7 };
  ours.nodes[0].params.title = 'Mine';
  theirs.nodes[0].params.title = 'Theirs';
  const result = threeWayMerge(BASE, ours, theirs);
  const count = result.conflicts.find((c) => c.path.join('.') === 'params.fields.count')!;
  const title = result.conflicts.find((c) => c.path.join('.') === 'params.title')!;
  expect([editMode(count), editSeed(count)]).toEqual(['json', '5']);
  expect([editMode(title), editSeed(title)]).toEqual(['text', 'Mine']);
  expect(parseEdit(count, '{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  expect(parseEdit(count, '{oops')).toMatchObject({ ok: false, message: expect.stringMatching(/^Not valid JSON/) });
  expect(parseEdit(title, '{oops')).toEqual({ ok: true, value: '{oops' });
  expect(collectChoices(result, { [count.id]: { edit: '{oops' }, [title.id]: 'ours' })).toEqual({
    ok: false,
    open: 0,
    invalid: [count.id],
  });
  expect(editMode(scenario().conflicts[1])).toBe('none');
});

test('n and p walk the conflicts in order and wrap around', () => {
  const ids = ['x', 'y', 'z'];
  expect(stepConflict(ids, undefined, 1)).toBe('x');
  expect(stepConflict(ids, undefined, -1)).toBe('z');
  expect(stepConflict(ids, 'x', 1)).toBe('y');
  expect(stepConflict(ids, 'z', 1)).toBe('x');
  expect(stepConflict(ids, 'x', -1)).toBe('z');
  expect(stepConflict([], undefined, 1)).toBeUndefined();
});

test('values: text as is, JSON pretty, long ones collapsed, absent ones named', () => {
  expect(formatValue('Hello')).toEqual({ text: 'Hello', long: false, absent: false, preview: 'Hello' });
  expect(formatValue({ a: 1 })).toMatchObject({ text: '{\n  "a": 1\n}', long: false });
  expect(formatValue('x'.repeat(500)).long).toBe(true);
  expect(formatValue({ a: 1, b: 2, c: 3, d: 4 })).toMatchObject({
    long: true,
    preview: '{ "a": 1, "b": 2, "c": 3, "d": 4 }…',
  });
  expect(formatValue(undefined, 'Removed')).toEqual({ text: 'Removed', long: false, absent: true, preview: 'Removed' });
});

test('paths read as the form names them', () => {
  expect(pathLabel('param', ['params', 'fields', 0, 'label'])).toBe('fields › 0 › label');
  expect(pathLabel('field', ['policy', 'retry', 'maximumAttempts'])).toBe('Settings › retry › maximumAttempts');
  expect(pathLabel('position', ['position', 'x'])).toBe('Position › x');
  expect(pathLabel('node-added', [])).toBe('Node added');
});
