// Approval nodes end to end: documents compiled by the real compiler, run by a real worker against Temporal and the
// Mongo-protocol server, decided through temporal/approvals.ts as the web does, read back from db/approvals.ts.
import type { ApprovalOutcome } from '../contracts/approvals';
import { approvalsOfRun, listApprovals, pendingCountFor } from '../db/approvals';
import { getRunUnscoped } from '../db/runs';
import { listSteps } from '../db/steps';
import { cancelRun, waitForRun } from '../temporal/client';
import { delegateApproval, submitDecision } from '../temporal/approvals';
import { createApprovalWorld, waitFor, type ApprovalWorld } from '../test/approval-world';
import { ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../test/mailbox';
import { startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../test/run-harness';

let h: RunHarness;
let w: ApprovalWorld;
let mailpit: Mailpit;

beforeAll(async () => {
  mailpit = await ensureMailpit(); // before the worker starts, which then sends there
  h = await startRunHarness('approvals');
  w = await createApprovalWorld();
  await h.startWorker();
}, 180_000);

afterAll(async () => {
  await h?.close();
  await mailpit?.stop();
});

const trigger = { id: 'Start', type: 'manual-trigger' };
const approval = (params: Record<string, unknown>, id = 'Review'): DocNode => ({ id, type: 'approval', params });
const mark = (id: string) => ({ id, type: 'set-fields', params: { fields: { went: id } } });
/** Start → Review, whose three outputs lead to Approved, Rejected and TimedOut. */
const gated = (params: Record<string, unknown>) =>
  workflowDoc(
    [trigger, approval(params), mark('Approved'), mark('Rejected'), mark('TimedOut')],
    [
      ['Start', 'Review'],
      ['Review:approved', 'Approved'],
      ['Review:rejected', 'Rejected'],
      ['Review:timeout', 'TimedOut'],
    ],
  );
const who = (name: string) => ({ id: w.users[name].id, name });
const email = (name: string) => w.users[name].email;
const inbox = { via: 'inbox' as const };
const outcomeOf = (output: unknown, node = 'Review'): ApprovalOutcome =>
  (output as Record<string, Record<string, unknown>>)[node] as unknown as ApprovalOutcome;
/** Which of the three marks ran, and the outcome they carried. */
const wentDown = (output: unknown) => Object.keys(output as Record<string, unknown>);

test('2 of 3 reviewers approve; the run’s starter is refused; the run waits for approval meanwhile', async () => {
  const runId = await w.startRun(
    gated({ title: 'Hire {{ $input.name }}', groups: [{ group: 'reviewers' }], rule: 'n-of-m', n: 2 }),
    { name: 'Dana' },
  );
  const request = await w.approval(runId, 'Review');
  expect(request.title).toBe('Hire Dana');
  expect(request.barred.sort()).toEqual([w.users.publisher.id, w.users.starter.id].sort());
  expect(request.levels[0].eligible.sort()).toEqual(['ana', 'ben', 'cy', 'starter'].map((n) => w.users[n].id).sort());
  await waitFor('the run marked awaiting', async () => ((await getRunUnscoped(runId))?.awaiting ? true : undefined));
  expect(await pendingCountFor(w.scope.workspaceId, w.users.ana.id)).toBeGreaterThanOrEqual(1);

  await expect(submitDecision(request, who('starter'), { decision: 'approve' }, inbox)).rejects.toMatchObject({
    name: 'ApprovalRefusedError',
    reason: 'not-allowed',
    message: 'You started this run, so you may not approve it.',
  });
  const afterAna = await submitDecision(request, who('ana'), { decision: 'approve', comment: 'fine' }, inbox);
  expect(afterAna.status).toBe('pending');
  expect(afterAna.decisions.map((d) => [d.approverId, d.decision, d.via])).toEqual([
    [w.users.ana.id, 'approve', 'inbox'],
  ]);
  await expect(submitDecision(request, who('ana'), { decision: 'approve' }, inbox)).rejects.toMatchObject({
    reason: 'already-decided',
    message: 'You already approved this.',
  });
  const mine = await listApprovals(w.scope, { status: 'pending', eligibleUserId: w.users.ana.id });
  expect(mine.items.map((r) => r.id)).not.toContain(request.id);
  const bens = await listApprovals(w.scope, { status: 'pending', eligibleUserId: w.users.ben.id });
  expect(bens.items.map((r) => r.id)).toContain(request.id);

  const closed = await submitDecision(request, who('ben'), { decision: 'approve' }, { via: 'api', ip: '10.0.0.7' });
  expect([closed.status, closed.closedBy]).toEqual(['approved', 'decisions']);
  const result = await waitForRun(runId, 30_000);
  await h.recordHistory('approval-two-of-three', runId);
  // Recorded since the run waits for its Update handlers before it ends (patch `wait-for-update-handlers`).
  await h.recordHistory('approval-handlers-finished', runId);
  expect(result.status).toBe('succeeded');
  expect(wentDown(result.output)).toEqual(['Approved']);
  const steps = await listSteps(runId);
  const outcome = steps.find((s) => s.nodeName === 'Review')?.output as ApprovalOutcome;
  expect(outcome).toMatchObject({ status: 'approved', approvalId: request.id, approver: who('ben') });
  expect(outcome.decisions.map((d) => d.ip ?? null)).toEqual([null, '10.0.0.7']);
  expect(steps.find((s) => s.nodeName === 'Rejected')?.status).toBe('skipped');
  expect((await getRunUnscoped(runId))?.awaiting).toBeUndefined();
  expect(await listApprovals(w.scope, { status: 'pending', eligibleUserId: w.users.ben.id })).toEqual({ items: [] });
});

test('a reject goes down "rejected", with the comment', async () => {
  const runId = await w.startRun(gated({ users: [{ user: email('ana') }] }));
  const request = await w.approval(runId, 'Review');
  await submitDecision(request, who('ana'), { decision: 'reject', comment: 'over budget' }, inbox);
  const result = await waitForRun(runId, 30_000);
  expect(wentDown(result.output)).toEqual(['Rejected']);
  const outcome = (await listSteps(runId)).find((s) => s.nodeName === 'Review')?.output as ApprovalOutcome;
  expect(outcome).toMatchObject({ status: 'rejected', comment: 'over budget', approver: who('ana') });
});

test('the all rule waits for every approver, and one reject rejects', async () => {
  const both = { users: [{ user: email('ana') }, { user: w.users.ben.id }], rule: 'all' };
  const approvedRun = await w.startRun(gated(both));
  const first = await w.approval(approvedRun, 'Review');
  expect((await submitDecision(first, who('ben'), { decision: 'approve' }, inbox)).status).toBe('pending');
  expect((await submitDecision(first, who('ana'), { decision: 'approve' }, inbox)).status).toBe('approved');
  expect(wentDown((await waitForRun(approvedRun, 30_000)).output)).toEqual(['Approved']);

  const rejectedRun = await w.startRun(gated(both));
  const second = await w.approval(rejectedRun, 'Review');
  await submitDecision(second, who('ana'), { decision: 'approve' }, inbox);
  expect((await submitDecision(second, who('ben'), { decision: 'reject' }, inbox)).status).toBe('rejected');
  expect(wentDown((await waitForRun(rejectedRun, 30_000)).output)).toEqual(['Rejected']);
});

test('more approvals needed than people who may approve fails the run, saying so', async () => {
  const runId = await w.startRun(
    gated({ users: [{ user: email('ana') }, { user: email('starter') }], rule: 'n-of-m', n: 2 }),
  );
  const result = await waitForRun(runId, 30_000);
  expect(result.status).toBe('failed');
  expect(result.error?.message).toMatch(
    /Node "Review" \(Review\) failed: approval "Approval needed" needs 2 approvals but only 1 people may approve, after barring/,
  );
  expect(await approvalsOfRun(runId)).toEqual([]);
});

test('form values are checked field by field, and the reviewer’s edits are recorded as a diff', async () => {
  const form = [
    { key: 'salary', label: 'Salary', type: 'number', required: true },
    { key: 'level', label: 'Level', type: 'select', options: 'junior, senior' },
    { key: 'start', label: 'Start', type: 'date' },
    { key: 'remote', type: 'boolean' },
  ];
  const runId = await w.startRun(gated({ users: [{ user: email('ana') }], form }), {
    offer: { amount: 100, currency: 'EUR' },
    name: 'Eli',
  });
  const request = await w.approval(runId, 'Review');
  const refused = (form: Record<string, unknown>, data?: unknown) =>
    submitDecision(request, who('ana'), { decision: 'approve', form, ...(data ? { data } : {}) }, inbox);
  await expect(refused({ level: 'junior' })).rejects.toMatchObject({
    reason: 'invalid',
    message: 'Form field "Salary" (salary) is required to approve.',
  });
  await expect(refused({ salary: 'lots' })).rejects.toThrow('Form field "Salary" (salary) must be a number.');
  await expect(refused({ salary: 1, level: 'mid' })).rejects.toThrow(
    'Form field "Level" (level) must be one of "junior", "senior".',
  );
  await expect(refused({ salary: 1, start: 'soon' })).rejects.toThrow(/Form field "Start" \(start\) must be a date/);
  await expect(refused({ salary: 1, remote: 'yes' })).rejects.toThrow(
    'Form field "remote" (remote) must be true or false.',
  );
  await expect(refused({ salary: 1, bonus: 2 })).rejects.toThrow('Form field "bonus" is not a field of this approval.');
  expect((await w.approval(runId, 'Review')).decisions).toEqual([]);

  const edited = { offer: { amount: 120, currency: 'EUR' }, name: 'Eli' };
  const closed = await refused({ salary: 50_000, level: 'senior', remote: true, start: '2026-03-01' }, edited);
  expect(closed.decisions[0].edits).toEqual([{ path: '/offer/amount', before: 100, after: 120 }]);
  const result = await waitForRun(runId, 30_000);
  const outcome = outcomeOf(result.output, 'Approved');
  expect(outcome).toMatchObject({
    status: 'approved',
    data: edited,
    form: { salary: 50_000, level: 'senior', remote: true, start: '2026-03-01' },
    went: 'Approved',
  });
});

test.each([
  ['reject', 'Rejected', 'rejected'],
  ['approve', 'Approved', 'approved'],
  ['timed-out', 'TimedOut', 'timed-out'],
] as const)('a passing deadline with policy %s goes down %s', async (policy, node, status) => {
  const runId = await w.startRun(
    gated({
      users: [{ user: email('ana') }],
      deadline: 'duration',
      deadlineAmount: 2,
      deadlineUnit: 'seconds',
      onDeadline: policy,
    }),
  );
  const result = await waitForRun(runId, 30_000);
  expect(wentDown(result.output)).toEqual([node]);
  const [request] = await approvalsOfRun(runId);
  expect([request.status, request.closedBy]).toEqual([status, 'deadline']);
  expect(outcomeOf(result.output, node)).toMatchObject({ status, decisions: [] });
});

test('escalation opens the next level for another group with its own deadline, and chains to a timeout', async () => {
  const escalating = (levels: Array<Record<string, unknown>>) =>
    gated({
      users: [{ user: email('ana') }],
      deadline: 'duration',
      deadlineAmount: 1,
      deadlineUnit: 'seconds',
      onDeadline: 'escalate',
      escalations: levels,
    });
  const runId = await w.startRun(escalating([{ groups: 'hr', amount: 1, unit: 'minutes' }]));
  const escalated = await w.approval(runId, 'Review', 0, (r) => r.levels.length === 2);
  expect(escalated.levels[1]).toMatchObject({
    eligible: expect.arrayContaining([w.users.hr1.id, w.users.hr2.id]),
    from: ['group HR'],
  });
  expect(Date.parse(escalated.levels[1].deadlineAt!) - Date.parse(escalated.levels[1].openedAt)).toBe(60_000);
  await expect(submitDecision(escalated, who('ana'), { decision: 'approve' }, inbox)).rejects.toThrow(
    /not an approver of "Approval needed" at its current level/,
  );
  await submitDecision(escalated, who('hr2'), { decision: 'approve' }, inbox);
  expect(wentDown((await waitForRun(runId, 30_000)).output)).toEqual(['Approved']);

  const chained = await w.startRun(
    escalating([
      { groups: 'hr', amount: 1, unit: 'seconds' },
      { users: email('boss'), amount: 1, unit: 'seconds' },
    ]),
  );
  const result = await waitForRun(chained, 30_000);
  await h.recordHistory('approval-escalation-chain', chained);
  expect(wentDown(result.output)).toEqual(['TimedOut']);
  const [request] = await approvalsOfRun(chained);
  expect(request.levels.map((l) => l.from)).toEqual([[email('ana')], ['group HR'], [email('boss')]]);
  expect(request.notices?.map((n) => [n.kind, n.level])).toEqual([
    ['request', 0],
    ['request', 1],
    ['request', 2],
  ]);
});

test('reminders go to those who have not decided, before the deadline', async () => {
  const runId = await w.startRun(
    gated({
      users: [{ user: email('ana') }, { user: email('ben') }],
      rule: 'all',
      deadline: 'duration',
      deadlineAmount: 3,
      deadlineUnit: 'seconds',
      reminders: [{ amount: 2, unit: 'seconds' }],
    }),
  );
  const request = await w.approval(runId, 'Review');
  await submitDecision(request, who('ana'), { decision: 'approve' }, inbox);
  const result = await waitForRun(runId, 30_000);
  expect(wentDown(result.output)).toEqual(['TimedOut']);
  const [closed] = await approvalsOfRun(runId);
  expect(closed.notices?.map((n) => [n.kind, n.to])).toEqual([
    ['request', expect.arrayContaining([w.users.ana.id, w.users.ben.id])],
    ['reminder', [w.users.ben.id]],
  ]);
  const reminder = await waitForMessage(email('ben'), { subject: /^Reminder: approval needed: Approval needed/ });
  expect(reminder.Text).toContain('/approvals/link/');
  await waitForMessage(email('ana'), { subject: /^Approval needed/ });
  expect((await messagesTo(email('ana'))).map((m) => m.Subject)).not.toContainEqual(expect.stringMatching(/^Reminder/));
});

test('delegation hands an approver’s say to another member', async () => {
  const runId = await w.startRun(gated({ users: [{ user: email('ana') }, { user: email('ben') }], rule: 'all' }));
  const request = await w.approval(runId, 'Review');
  await expect(delegateApproval(request, { id: w.users.ana.id }, w.users.starter.id)).rejects.toMatchObject({
    reason: 'not-allowed',
    message: expect.stringMatching(/may not approve this run/),
  });
  await expect(delegateApproval(request, { id: w.users.ana.id }, w.users.ben.id)).rejects.toMatchObject({
    reason: 'already-approver',
    message: expect.stringMatching(/already an approver/),
  });
  await expect(delegateApproval(request, { id: w.users.cy.id }, w.users.boss.id)).rejects.toMatchObject({
    reason: 'not-allowed',
    message: expect.stringMatching(/not an approver/),
  });
  await expect(delegateApproval(request, { id: w.users.ana.id }, w.users.ana.id)).rejects.toMatchObject({
    reason: 'invalid',
    message: 'You cannot delegate to yourself.',
  });
  const delegated = await delegateApproval(request, { id: w.users.ana.id }, w.users.boss.id);
  expect(delegated.delegations).toMatchObject([{ from: w.users.ana.id, to: w.users.boss.id, level: 0 }]);
  await expect(submitDecision(request, who('ana'), { decision: 'approve' }, inbox)).rejects.toThrow(
    /You delegated this approval/,
  );
  await submitDecision(request, who('boss'), { decision: 'approve' }, inbox);
  await submitDecision(request, who('ben'), { decision: 'approve' }, inbox);
  expect(wentDown((await waitForRun(runId, 30_000)).output)).toEqual(['Approved']);
  await h.recordHistory('approval-delegation', runId);
});

test('two approvals in parallel branches are two requests, each decided on its own', async () => {
  const doc = workflowDoc(
    [
      trigger,
      approval({ title: 'Legal', users: [{ user: email('ana') }] }, 'Legal'),
      approval({ title: 'Budget', users: [{ user: email('ben') }] }, 'Budget'),
    ],
    [
      ['Start', 'Legal'],
      ['Start', 'Budget'],
    ],
  );
  const runId = await w.startRun(doc);
  const legal = await w.approval(runId, 'Legal');
  const budget = await w.approval(runId, 'Budget');
  expect(legal.id).not.toBe(budget.id);
  await expect(submitDecision(legal, who('ben'), { decision: 'approve' }, inbox)).rejects.toThrow(/not an approver/);
  await submitDecision(budget, who('ben'), { decision: 'reject' }, inbox);
  expect((await getRunUnscoped(runId))?.awaiting).toBe('approval'); // Legal is still open
  // The run still holds the decided request, so its validator names the refusal.
  await expect(submitDecision(budget, who('ben'), { decision: 'approve' }, inbox)).rejects.toMatchObject({
    reason: 'closed',
    message: 'Approval "Budget" is closed: it was rejected.',
  });
  await submitDecision(legal, who('ana'), { decision: 'approve' }, inbox);
  const result = await waitForRun(runId, 30_000);
  await h.recordHistory('approval-parallel', runId);
  expect(result.status).toBe('succeeded');
  expect(outcomeOf(result.output, 'Legal').status).toBe('approved');
  expect(outcomeOf(result.output, 'Budget').status).toBe('rejected');
  await waitFor('the waiting mark cleared', async () =>
    (await getRunUnscoped(runId))?.awaiting === undefined ? true : undefined,
  );
});

test('an approval inside a loop opens one request per iteration', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Each', type: 'loop-over-items', params: { concurrency: 2 } },
      approval({ title: 'Item {{ $input.n }}', users: [{ user: email('ana') }] }, 'Check'),
    ],
    [
      ['Start', 'Each:in'],
      ['Each:body', 'Check'],
      ['Check:approved', 'Each:loopEnd'],
      ['Check:rejected', 'Each:loopEnd'],
    ],
  );
  const runId = await w.startRun(doc, [{ n: 1 }, { n: 2 }]);
  const first = await w.approval(runId, 'Check', 1);
  const second = await w.approval(runId, 'Check', 2);
  expect([first.title, first.iteration, second.title, second.iteration]).toEqual(['Item 1', '1', 'Item 2', '2']);
  await submitDecision(second, who('ana'), { decision: 'reject' }, inbox);
  await submitDecision(first, who('ana'), { decision: 'approve' }, inbox);
  const result = await waitForRun(runId, 30_000);
  await h.recordHistory('approval-in-loop', runId);
  expect(result.status).toBe('succeeded');
  expect((await approvalsOfRun(runId)).map((r) => [r.iteration, r.status])).toEqual([
    ['1', 'approved'],
    ['2', 'rejected'],
  ]);
});

test('cancelling the run closes its open request as cancelled', async () => {
  const runId = await w.startRun(gated({ users: [{ user: email('ana') }] }));
  const request = await w.approval(runId, 'Review');
  await cancelRun(runId, 'no longer needed');
  expect((await waitForRun(runId, 30_000)).status).toBe('cancelled');
  await h.recordHistory('approval-cancel', runId);
  const closed = await w.approval(runId, 'Review', 0, (r) => r.status !== 'pending');
  expect([closed.status, closed.closedBy]).toEqual(['cancelled', 'cancel']);
  await expect(submitDecision(request, who('ana'), { decision: 'approve' }, inbox)).rejects.toMatchObject({
    reason: 'closed',
    message: expect.stringMatching(/is closed/),
  });
  expect(await pendingCountFor(w.scope.workspaceId, w.users.ana.id)).toBe(
    (await listApprovals(w.scope, { status: 'pending', eligibleUserId: w.users.ana.id })).items.length,
  );
});
