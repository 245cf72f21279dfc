// A decision can reach the run before the run has taken in its own request: Temporal hands Updates to the workflow
// ahead of an activity's result, so after a worker dies between `openApproval` storing the request and the run
// reading that result, the decision someone sent from the inbox arrives first. Here the worker runs in this process
// and its `openApproval` sends the decision itself, after storing the request and before returning: deterministically
// the order a crash produces by chance (workflows/approvals-durability.test.ts).
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { createActivities } from '../activities/index';
import type { OpenApprovalInput, OpenedApproval } from '../activities/approvals';
import { approvalRefusalReasonOf } from '../contracts/approval-refusals';
import type { ApprovalRequest } from '../contracts/approvals';
import { approvalsOfRun } from '../db/approvals';
import { listSteps } from '../db/steps';
import { createStore } from '../db/store';
import { registry } from '../nodes/index';
import { loadRunner } from '../nodes/runners';
import { getTemporalClient, waitForRun } from '../temporal/client';
import { submitDecision } from '../temporal/approvals';
import { installQuietRuntime, runWorker } from '../temporal/worker';
import { createApprovalWorld, type ApprovalWorld } from '../test/approval-world';
import { startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { approvalDecisionUpdate } from './messages';

let h: RunHarness;
let w: ApprovalWorld;
let stopWorker: () => void;
let worker: Promise<void>;

/**
 * By approval node id (each test has its own): who decides while the node's request opens, and how the run
 * answered (accepted, then the Update's result; or refused at once, with the message).
 */
const early = new Map<string, { voter: string; answer?: Promise<ApprovalRequest>; refusedAtOnce?: string }>();

async function openApprovalThenDecide(input: OpenApprovalInput): Promise<OpenedApproval> {
  const opened = await real.openApproval(input);
  const plan = early.get(input.nodeId);
  if (plan) {
    const handle = (await getTemporalClient()).workflow.getHandle(input.temporalWorkflowId);
    try {
      const update = await handle.startUpdate(approvalDecisionUpdate, {
        args: [
          { approvalId: input.approvalId, approver: { id: plan.voter }, input: { decision: 'approve' }, via: 'inbox' },
        ],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      plan.answer = update.result();
      plan.answer.catch(() => {}); // read by the test
    } catch (err) {
      plan.refusedAtOnce = err instanceof WorkflowUpdateFailedError ? err.cause?.message : String(err);
    }
  }
  return opened;
}

let real: ReturnType<typeof createActivities>;

beforeAll(async () => {
  h = await startRunHarness('approvals-early');
  w = await createApprovalWorld();
  process.env.MONGODB_URI = h.dbUri; // the in-process worker connects to the harness's database
  real = createActivities({ store: createStore(), nodes: registry, loadRunner, now: () => new Date() });
  installQuietRuntime();
  const until = new Promise<void>((resolve) => (stopWorker = resolve));
  const ready = new Promise<void>((resolve, reject) => {
    worker = runWorker({
      queues: ['default'],
      extraActivities: { openApproval: openApprovalThenDecide },
      onReady: resolve,
      until,
    });
    worker.catch(reject);
  });
  await ready;
}, 180_000);

afterAll(async () => {
  stopWorker?.();
  await worker;
  await h?.close();
});

/** Start → `review` (Ana approves) → Approved. */
const gated = (review: string) =>
  workflowDoc(
    [
      { id: 'Start', type: 'manual-trigger' },
      { id: review, type: 'approval', params: { users: [{ user: w.users.ana.email }] } },
      { id: 'Approved', type: 'set-fields', params: { fields: { went: 'approved' } } },
    ],
    [
      ['Start', review],
      [`${review}:approved`, 'Approved'],
    ],
  );

test('a decision that arrives before the run has taken in its request is accepted, then applied once', async () => {
  early.set('Review', { voter: w.users.ana.id });
  const runId = await w.startRun(gated('Review'));
  const plan = await waitForAnswer('Review');
  expect(plan.refusedAtOnce).toBeUndefined();
  expect((await plan.answer)!.status).toBe('approved');
  const result = await waitForRun(runId, 60_000);
  await h.recordHistory('approval-decided-while-opening', runId);
  expect(result).toMatchObject({ status: 'succeeded', output: { Approved: { status: 'approved', went: 'approved' } } });
  const [request] = await approvalsOfRun(runId);
  expect([request.status, request.decisions.map((d) => [d.approverId, d.via])]).toEqual([
    'approved',
    [[w.users.ana.id, 'inbox']],
  ]);
  expect((await listSteps(runId)).map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ['Review', 'succeeded'],
    ['Approved', 'succeeded'],
  ]);
}, 90_000);

test('an early decision by someone who may not decide is refused with its reason once the request is in', async () => {
  early.set('Check', { voter: w.users.ben.id });
  const runId = await w.startRun(gated('Check'));
  const request = await w.approval(runId, 'Check');
  const plan = await waitForAnswer('Check');
  const refusal = await plan.answer!.then(
    () => undefined,
    (err: WorkflowUpdateFailedError) => err.cause as Error & { type?: string },
  );
  expect([approvalRefusalReasonOf(refusal?.type), refusal?.message]).toEqual([
    'not-allowed',
    `You are not an approver of "${request.title}".`,
  ]);
  // The run still waits for Ana, whose decision goes through the usual way.
  const decided = await submitDecision(request, { id: w.users.ana.id }, { decision: 'approve' }, { via: 'link' });
  expect(decided.status).toBe('approved');
  expect(await waitForRun(runId, 60_000)).toMatchObject({ status: 'succeeded' });
  expect((await approvalsOfRun(runId))[0].decisions.map((d) => d.approverId)).toEqual([w.users.ana.id]);
}, 90_000);

async function waitForAnswer(nodeId: string) {
  for (let i = 0; i < 600; i++) {
    const plan = early.get(nodeId)!;
    if (plan.answer || plan.refusedAtOnce) return plan;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No early decision was sent for ${nodeId}`);
}
