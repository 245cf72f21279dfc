// What a run owns outside its steps when it ends without its interpreter or is deleted: a hard end (terminate,
// a Temporal timeout) closes its open approval requests, retention deletes its approval requests, and a blob a
// retry took over survives the deletion of the run that wrote it. Real Mongo-protocol server, no Temporal needed.
import mongoose from 'mongoose';
import type { ApprovalRequest } from '../contracts/approvals';
import { testDatabaseUri } from '../test/stack';
import { getApprovalUnscoped, pendingCountFor, saveApproval } from './approvals';
import { forgetBlobSigningKey } from './blob-key';
import { encodeValue, resolveBlobRefs } from './blobs';
import { connectDb, disconnectDb } from './connection';
import { listRunEvents } from './events';
import { pruneRuns } from './retention';
import { recordRunEnd } from './run-end';
import { createRun, setRunStatus } from './runs';
import { resignBlobRefs, shareBlobs } from './shared-blobs';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_run_end_approvals'));
  await mongoose.connection.db!.dropDatabase();
  forgetBlobSigningKey();
}, 60_000);

afterAll(async () => {
  await disconnectDb();
});

let n = 0;
async function newRun(): Promise<string> {
  const runId = `run_end_${process.pid}_${++n}`;
  await createRun({
    runId,
    workspaceId: 'ws_a',
    workflowId: 'wf_a',
    planHash: 'plan_a',
    trigger: {},
    mode: 'manual',
  });
  return runId;
}

function pendingRequest(runId: string, id: string): ApprovalRequest {
  return {
    id,
    workspaceId: 'ws_a',
    workflowId: 'wf_a',
    workflowName: 'Onboarding',
    runId,
    nodeId: 'Approve',
    nodeName: 'Approve',
    title: 'Approve the laptop',
    data: {},
    form: [],
    rule: { kind: 'any' },
    barred: [],
    levels: [{ eligible: ['u_ann', 'u_bob'], from: ['group IT'], openedAt: new Date().toISOString() }],
    delegations: [],
    decisions: [],
    status: 'pending',
    createdAt: new Date().toISOString(),
  };
}

test('a terminated run’s open approval requests are closed as cancelled, and leave their approvers’ inboxes', async () => {
  const runId = await newRun();
  await setRunStatus(runId, 'running');
  await saveApproval(pendingRequest(runId, `${runId}:open`), 1);
  await saveApproval({ ...pendingRequest(runId, `${runId}:done`), status: 'approved', closedBy: 'decisions' }, 3);
  expect(await pendingCountFor('ws_a', 'u_ann')).toBe(1);

  await recordRunEnd({ runId, workflowId: 'wf_a' }, 'terminated', { message: 'Run terminated', code: 'terminated' });

  const open = await getApprovalUnscoped(`${runId}:open`);
  expect(open).toMatchObject({ status: 'cancelled', closedBy: 'cancel' });
  expect(open?.closedAt).toBeDefined();
  // A request the run had closed itself keeps its outcome.
  expect((await getApprovalUnscoped(`${runId}:done`))?.status).toBe('approved');
  expect(await pendingCountFor('ws_a', 'u_ann')).toBe(0);
  expect(await pendingCountFor('ws_a', 'u_bob')).toBe(0);
  // The run's own end is recorded as before.
  const events = await listRunEvents(runId);
  expect(events.map((e) => e.kind)).toContain('run');
});

test('retention deletes the approval requests of the runs it deletes, and only theirs', async () => {
  const old = await newRun();
  const kept = await newRun();
  const longAgo = new Date(Date.now() - 10 * 86_400_000);
  await setRunStatus(old, 'failed', { at: longAgo });
  await setRunStatus(kept, 'failed');
  await saveApproval({ ...pendingRequest(old, `${old}:a`), status: 'rejected' }, 2);
  await saveApproval({ ...pendingRequest(kept, `${kept}:a`), status: 'rejected' }, 2);

  const counts = await pruneRuns({ defaults: { days: 5 }, planGraceMs: 0 });
  expect(counts.runs).toBeGreaterThanOrEqual(1);
  expect(await getApprovalUnscoped(`${old}:a`)).toBeUndefined();
  expect(await getApprovalUnscoped(`${kept}:a`)).toMatchObject({ status: 'rejected' });
});

test('a blob a retry took over survives retention of the run that wrote it, and still resolves for the retry', async () => {
  const writer = await newRun();
  const retry = await newRun();
  const value = { text: 'x'.repeat(300_000) };
  const encoded = await encodeValue(value, { runId: writer, nodeId: 'Big', field: 'output' });
  expect(encoded.ref).toBeDefined();
  const taken = await resignBlobRefs(encoded.json, writer, retry);
  expect(taken.blobIds).toEqual([encoded.ref!.$batonBlob]);
  // Signed for the retry: it resolves there, and the writer's reference does not resolve for the retry.
  expect(await resolveBlobRefs(JSON.parse(taken.json), retry)).toEqual(value);
  expect(await resolveBlobRefs(JSON.parse(encoded.json), retry)).toEqual(JSON.parse(encoded.json));
  await shareBlobs(taken.blobIds, retry);

  await setRunStatus(writer, 'failed', { at: new Date(Date.now() - 10 * 86_400_000) });
  await setRunStatus(retry, 'succeeded');
  await pruneRuns({ defaults: { days: 5 }, planGraceMs: 0 });

  const file = await mongoose.connection
    .db!.collection('blobs.files')
    .findOne({ _id: new mongoose.Types.ObjectId(encoded.ref!.$batonBlob) });
  expect(file?.metadata).toMatchObject({ runId: retry, sharedWith: [] });
  expect(await resolveBlobRefs(JSON.parse(taken.json), retry)).toEqual(value);

  // Once the retry ended long ago too, the blob goes with it.
  await mongoose.connection
    .db!.collection('runs')
    .updateOne({ _id: retry as never }, { $set: { endedAt: new Date(0) } });
  await pruneRuns({ defaults: { days: 5 }, planGraceMs: 0 });
  expect(
    await mongoose.connection
      .db!.collection('blobs.files')
      .countDocuments({ _id: new mongoose.Types.ObjectId(encoded.ref!.$batonBlob) }),
  ).toBe(0);
});
