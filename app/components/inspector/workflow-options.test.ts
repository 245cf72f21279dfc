// The workflow picker's rules: search, publish labels, and the warnings about the picked workflow.
import { matchWorkflows, pickedStatus, pickedWarnings, publishLabel, type WorkflowOption } from './workflow-options';

const SELF = 'a'.repeat(24);
const workflows: WorkflowOption[] = [
  { id: SELF, name: 'Onboarding', publishedVersion: 3 },
  { id: 'b'.repeat(24), name: 'alert on failure', publishedVersion: null },
  { id: 'c'.repeat(23) + '1', name: 'Billing sync', publishedVersion: 1 },
];

test('search matches names in any case, or ids, and lists by name', () => {
  expect(matchWorkflows(workflows, '').map((w) => w.name)).toEqual(['alert on failure', 'Billing sync', 'Onboarding']);
  expect(matchWorkflows(workflows, 'ON').map((w) => w.name)).toEqual(['alert on failure', 'Onboarding']);
  expect(matchWorkflows(workflows, 'c1').map((w) => w.name)).toEqual(['Billing sync']);
  expect(matchWorkflows(workflows, 'nothing')).toEqual([]);
});

test('publish labels', () => {
  expect(workflows.map(publishLabel)).toEqual(['published v3', 'not published', 'published v1']);
});

test('picked status: none, loading, not found, found (and whether it is this workflow)', () => {
  expect(pickedStatus(undefined, workflows, SELF)).toEqual({ kind: 'none' });
  expect(pickedStatus(SELF, null, SELF)).toEqual({ kind: 'loading' });
  expect(pickedStatus('d'.repeat(24), workflows, SELF)).toEqual({ kind: 'not-found', id: 'd'.repeat(24) });
  expect(pickedStatus(SELF, workflows, SELF)).toEqual({ kind: 'found', workflow: workflows[0], self: true });
  expect(pickedStatus(workflows[2].id, workflows, SELF)).toMatchObject({ kind: 'found', self: false });
});

test('warnings: unpublished, this workflow itself, not found; none for a published other workflow', () => {
  const warn = (id: string | undefined) => pickedWarnings(pickedStatus(id, workflows, SELF), 'It will fail.');
  expect(warn(workflows[2].id)).toEqual([]);
  expect(warn(undefined)).toEqual([]);
  expect(warn(workflows[1].id)).toEqual(['“alert on failure” is not published. It will fail.']);
  expect(warn(SELF)).toEqual([expect.stringMatching(/this workflow itself/)]);
  expect(warn('d'.repeat(24))).toEqual([expect.stringMatching(/^Workflow d{24} not found/)]);
});
