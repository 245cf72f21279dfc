// A failed step's evidence (NodeError `details`) against the real Mongo-protocol server, along the path run-node.ts
// takes: scrubbed with the error, encoded like an output (in the blob store when large), kept on the failed step
// record, sent by the steps API (a preview with a download link when large), and cleared by the next attempt.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../db/connection';
import * as blobs from '../db/blobs';
import { resolvedJsonBytes } from '../db/blobs';
import { runFiles, verifyFileRef } from '../db/files';
import { findStep, listSteps, recordStep, type StepWrite } from '../db/steps';
import { createWorkflow } from '../db/workflows';
import { systemScope } from '../db/workspaces';
import { clientStep } from '../app/lib/stored-values.server';
import { NodeError } from '../nodes/errors';
import { stepCredentials } from '../nodes/credentials/step-access';
import { testDatabaseUri } from '../test/stack';
import { describeNodeError, encodeErrorDetails, errorDetails } from './node-errors';

const CANARY = 'canary-5d1e0b7c-password';
const WORKSPACE = 'ws_evidence';
let workflowId = '';

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_step_evidence'));
  await mongoose.connection.db!.dropDatabase();
  workflowId = (await createWorkflow(systemScope(WORKSPACE), { name: 'Supplier portal', ownerId: 'owner' })).id;
});
afterAll(async () => {
  await disconnectDb();
});

/** The step credentials of a step that opened a credential holding CANARY, as run-node's `execute` builds them. */
async function openedCanary() {
  const credentials = stepCredentials(async (id) => ({
    id,
    name: 'Portal login',
    type: 'basic-auth',
    values: { user: 'ada', password: CANARY },
  }));
  await credentials.credential('cred_portal', ['basic-auth']);
  return credentials;
}

const failedStep = (runId: string, details: string | undefined, attempt = 1): StepWrite => ({
  runId,
  nodeId: 'portal',
  nodeName: 'Supplier portal',
  type: 'browser',
  iteration: 0,
  status: 'failed',
  attempt,
  error: { message: 'Step 2 (click text=Send): Timeout 500ms exceeded.', code: 'browser-step' },
  ...(details ? { details } : {}),
  startedAt: new Date(),
  endedAt: new Date(),
  durationMs: 700,
});

test('a failed step keeps its evidence scrubbed of secrets, with its file references still readable', async () => {
  const runId = 'run-evidence-1';
  const files = runFiles({ runId, workflowId, nodeId: 'portal' });
  const screenshot = await files.save({
    name: 'step-2-failure.png',
    mimeType: 'image/png',
    data: Buffer.from('89504e47', 'hex'),
  });
  const credentials = await openedCanary();
  const thrown = new NodeError(`Step 2 (fill label=Password ${CANARY}): element is not editable`, {
    code: 'browser-step',
    retryable: false,
    details: {
      url: `https://portal.test/login?password=${CANARY}`,
      steps: [
        { index: 1, action: 'fill', target: 'label=Password', url: 'https://portal.test/login', ok: true },
        { index: 2, action: 'click', target: 'text=Send', ok: false, error: `echoed ${CANARY}`, screenshot },
      ],
      [`key-${CANARY}`]: true,
    },
  });

  const err = credentials.scrubError(thrown);
  expect(err).toBeInstanceOf(NodeError);
  expect(describeNodeError(err)).toMatchObject({ code: 'browser-step', retryable: false });
  const json = await encodeErrorDetails(err, blobs, { runId, nodeId: 'portal' });
  expect(json).toBeDefined();
  expect(json).not.toContain(CANARY);
  await recordStep(failedStep(runId, json));

  const stored = await findStep(runId, 'portal');
  expect(stored?.details).not.toContain(CANARY);
  const [view] = await listSteps(runId);
  expect(view.details).toEqual({
    url: 'https://portal.test/login?password=[secret]',
    steps: [
      { index: 1, action: 'fill', target: 'label=Password', url: 'https://portal.test/login', ok: true },
      { index: 2, action: 'click', target: 'text=Send', ok: false, error: 'echoed [secret]', screenshot },
    ],
    'key-[secret]': true,
  });
  // The screenshot's reference comes back as the store signed it, so the run page can show and download it.
  const shot = (view.details as { steps: Array<{ screenshot?: unknown }> }).steps[1].screenshot;
  expect(await verifyFileRef(shot, WORKSPACE)).toEqual(screenshot);

  const sent = await clientStep(stored!);
  expect(sent.details).toEqual(view.details);
  expect(sent.detailsPreview).toBeUndefined();
  expect(JSON.stringify(sent)).not.toContain(CANARY);
});

test('an error without evidence stores none, and only a plain object counts as evidence', async () => {
  expect(errorDetails(new NodeError('Bad URL', { code: 'param-invalid' }))).toBeUndefined();
  expect(errorDetails(new NodeError('Bad URL', { code: 'param-invalid', details: {} }))).toBeUndefined();
  expect(errorDetails(Object.assign(new Error('x'), { details: ['a'] }))).toBeUndefined();
  expect(errorDetails(Object.assign(new Error('x'), { details: new Date() }))).toBeUndefined();
  expect(errorDetails(Object.assign(new Error('x'), { details: { a: 1 } }))).toEqual({ a: 1 });
  expect(await encodeErrorDetails(new Error('plain'), blobs, { runId: 'run-evidence-2', nodeId: 'n' })).toBeUndefined();
});

test('large evidence goes to the blob store, comes as a preview with its download, and a retry clears it', async () => {
  const runId = 'run-evidence-3';
  const steps = Array.from({ length: 100 }, (_, i) => ({
    index: i + 1,
    action: 'extractText',
    target: `css=#row-${i} .name`,
    url: `https://portal.test/rows?page=${i}`,
    ok: i < 99,
    extracted: 'x'.repeat(3_000),
  }));
  const err = new NodeError('Step 100 (extractText css=#row-99 .name): Timeout 500ms exceeded.', {
    code: 'browser-step',
    details: { steps, url: 'https://portal.test/rows?page=99' },
  });
  const json = await encodeErrorDetails(err, blobs, { runId, nodeId: 'portal' });
  expect(json).toMatch(/^\{"\$batonBlob":/); // over the 256 KB threshold
  await recordStep(failedStep(runId, json));

  const [view] = await listSteps(runId);
  expect(view.details).toHaveProperty('$batonBlob');
  const sent = await clientStep((await findStep(runId, 'portal'))!);
  expect(sent.details).toBeUndefined();
  expect(sent.detailsPreview).toMatchObject({
    truncated: true,
    bytes: await resolvedJsonBytes(json!, runId),
    download: `/api/runs/${runId}/steps/portal/details`,
  });
  expect(sent.detailsPreview!.preview.startsWith('{"steps":[{"index":1,')).toBe(true);

  // The next attempt starts clean: the evidence described the attempt before it.
  await recordStep({ ...failedStep(runId, undefined, 2), status: 'running', error: undefined, endedAt: undefined });
  expect((await findStep(runId, 'portal'))?.details).toBeUndefined();
});
