// The Approval node as the compiler and the interpreter see it: what a document may say, where a mistake is reported,
// and what plan the resolved params make.
import { compilePlan } from '../../ir/compile';
import type { WorkflowDocument } from '../../ir/types';
import { workflowDoc } from '../../test/run-harness';
import { approvalPlan, spec, type ApprovalParams } from './spec';

const doc = (params: Record<string, unknown>, settings: WorkflowDocument['settings'] = {}): WorkflowDocument => ({
  ...workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: 'Review', type: 'approval', params },
    ],
    [['Start', 'Review']],
  ),
  settings,
});
const problems = (params: Record<string, unknown>, settings?: WorkflowDocument['settings']) => {
  const result = compilePlan(doc(params, settings), { workflowId: 'wf', name: 'wf' });
  return result.ok ? [] : result.diagnostics.map((d) => ({ code: d.code, path: d.path, message: d.message }));
};
const someone = { users: [{ user: 'ana@acme.test' }] };

test('compiles to an approval node with three outputs', () => {
  const result = compilePlan(doc(someone), { workflowId: 'wf', name: 'wf' });
  expect(result.ok && result.plan.nodes.Review.kind).toBe('approval');
  expect(spec.outputs.map((o) => o.id)).toEqual(['approved', 'rejected', 'timeout']);
});

test('express workflows refuse it, naming the node', () => {
  expect(problems(someone, { mode: 'express' })).toEqual([
    {
      code: 'express-waits',
      path: ['nodes', 1],
      message: expect.stringMatching(/^Review: express workflows .* cannot wait for people to approve/),
    },
  ]);
});

test('bad params are reported with the node and the field', () => {
  expect(problems({})).toEqual([
    {
      code: 'param-invalid',
      path: ['nodes', 1, 'params', 'users'],
      message: 'Review: Param "users": add approvers (users, groups, roles, or approvers from data)',
    },
  ]);
  expect(
    problems({
      ...someone,
      form: [
        { key: 'pay', type: 'number' },
        { key: 'pay', type: 'select' },
      ],
    }).map((p) => [p.path, p.message]),
  ).toEqual([
    [['nodes', 1, 'params', 'form', 1, 'key'], 'Review: Param "form.1.key": the key "pay" is used twice'],
    [
      ['nodes', 1, 'params', 'form', 1, 'options'],
      'Review: Param "form.1.options": a select field needs options, separated by commas',
    ],
  ]);
  expect(problems({ ...someone, form: [{ key: 'a b', type: 'text' }] })[0]).toMatchObject({
    path: ['nodes', 1, 'params', 'form', 0, 'key'],
  });
  expect(problems({ ...someone, rule: 'n-of-m', n: 0 })[0]).toMatchObject({ path: ['nodes', 1, 'params', 'n'] });
  expect(problems({ ...someone, deadline: 'duration', onDeadline: 'escalate' })[0]).toMatchObject({
    path: ['nodes', 1, 'params', 'escalations'],
  });
  expect(
    problems({
      ...someone,
      deadline: 'duration',
      onDeadline: 'escalate',
      escalations: [{ roles: 'chief', amount: 1, unit: 'days' }],
    })[0],
  ).toMatchObject({ path: ['nodes', 1, 'params', 'escalations', 0, 'roles'] });
});

const params = (extra: Partial<ApprovalParams> = {}): ApprovalParams => ({
  title: 'T',
  users: [],
  groups: [],
  roles: [],
  rule: 'any',
  barStarter: true,
  barPublisher: true,
  form: [],
  deadline: 'none',
  deadlineUnit: 'days',
  onDeadline: 'timed-out',
  escalations: [],
  reminders: [],
  ...extra,
});

test('the plan takes people from the data, defaults the data to the input, and dates the deadline', () => {
  const plan = approvalPlan(
    params({
      users: [{ user: 'ana@acme.test' }],
      approversFrom: ['boss@acme.test, hr@acme.test'],
      rule: 'n-of-m',
      n: 2,
      deadline: 'duration',
      deadlineAmount: 2,
      deadlineUnit: 'hours',
      reminders: [{ amount: 30, unit: 'minutes' }],
      form: [{ key: 'level', type: 'select', options: 'junior, senior' }],
    }),
    { offer: 1 },
    1_000,
  );
  expect(plan).toMatchObject({
    data: { offer: 1 },
    approvers: { users: ['ana@acme.test', 'boss@acme.test', 'hr@acme.test'], groups: [], roles: [] },
    rule: { kind: 'n-of-m', n: 2 },
    deadlineAt: 1_000 + 2 * 3_600_000,
    remindersMs: [1_800_000],
    form: [{ key: 'level', label: 'level', type: 'select', options: ['junior', 'senior'] }],
  });
  expect(approvalPlan(params({ deadline: 'until', deadlineAt: '2030-01-01T00:00:00Z' }), null, 0).deadlineAt).toBe(
    Date.parse('2030-01-01T00:00:00Z'),
  );
  expect(() => approvalPlan(params({ approversFrom: [{ id: 1 }] }), null, 0)).toThrow(
    'Param "approversFrom": must be emails or user ids, as text or a list of texts',
  );
});
