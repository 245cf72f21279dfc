// Approvals survive their worker: a worker killed while a request waits leaves the run to the next worker, which
// takes the decision and goes on; a deadline that passes while no worker runs fires once one is back.
import { approvalsOfRun } from '../db/approvals';
import { listSteps } from '../db/steps';
import { waitForRun } from '../temporal/client';
import { submitDecision } from '../temporal/approvals';
import { createApprovalWorld, type ApprovalWorld } from '../test/approval-world';
import { startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { startSink, type Sink } from '../test/sink';

let h: RunHarness;
let w: ApprovalWorld;
let sink: Sink;

beforeAll(async () => {
  h = await startRunHarness('approvals-durability');
  w = await createApprovalWorld();
  sink = await startSink();
}, 60_000);

afterEach(() => h.stopWorkers());

afterAll(async () => {
  await sink?.close();
  await h?.close();
});

const trigger = { id: 'Start', type: 'manual-trigger' };

test('SIGKILL while an approval waits: a new worker takes the decision and the next node runs once', async () => {
  const doc = workflowDoc(
    [
      trigger,
      { id: 'Review', type: 'approval', params: { users: [{ user: w.users.ana.email }] } },
      {
        id: 'Notify',
        type: 'http-request',
        params: { method: 'POST', url: `${sink.url}/approved`, bodyType: 'json', body: { ok: true } },
      },
    ],
    [
      ['Start', 'Review'],
      ['Review:approved', 'Notify'],
    ],
  );
  const first = await h.startWorker();
  const runId = await w.startRun(doc);
  const request = await w.approval(runId, 'Review');
  first.kill('SIGKILL');
  expect((await first.stopped).signal).toBe('SIGKILL');

  await h.startWorker();
  const decided = await submitDecision(
    request,
    { id: w.users.ana.id, name: 'ana' },
    { decision: 'approve' },
    {
      via: 'link',
    },
  );
  expect(decided.status).toBe('approved');
  const result = await waitForRun(runId, 90_000);
  await h.recordHistory('approval-sigkill', runId);
  expect(result.status).toBe('succeeded');
  expect(sink.requests.filter((r) => r.idempotencyKey === `${runId}:Notify:0`)).toHaveLength(1);
  expect((await listSteps(runId)).map((s) => [s.nodeName, s.status])).toEqual([
    ['Start', 'succeeded'],
    ['Review', 'succeeded'],
    ['Notify', 'succeeded'],
  ]);
  expect((await approvalsOfRun(runId)).map((r) => r.status)).toEqual(['approved']);
}, 150_000);

test('a deadline that passes while no worker runs fires once a worker is back', async () => {
  const doc = workflowDoc(
    [
      trigger,
      {
        id: 'Review',
        type: 'approval',
        params: {
          users: [{ user: w.users.ana.email }],
          deadline: 'duration',
          deadlineAmount: 2,
          deadlineUnit: 'seconds',
          onDeadline: 'reject',
        },
      },
      { id: 'Rejected', type: 'set-fields', params: { fields: { went: 'rejected' } } },
    ],
    [
      ['Start', 'Review'],
      ['Review:rejected', 'Rejected'],
    ],
  );
  const first = await h.startWorker();
  const runId = await w.startRun(doc);
  const request = await w.approval(runId, 'Review');
  first.kill('SIGKILL');
  await first.stopped;
  // Past the deadline with no worker: the timer fires in Temporal, and the run waits for a worker to act on it.
  while (Date.now() < Date.parse(request.levels[0].deadlineAt!) + 1000) await new Promise((r) => setTimeout(r, 200));
  expect((await approvalsOfRun(runId))[0].status).toBe('pending');

  await h.startWorker();
  const result = await waitForRun(runId, 90_000);
  expect(result).toMatchObject({ status: 'succeeded', output: { Rejected: { status: 'rejected', went: 'rejected' } } });
  const [closed] = await approvalsOfRun(runId);
  expect([closed.status, closed.closedBy]).toEqual(['rejected', 'deadline']);
}, 150_000);
