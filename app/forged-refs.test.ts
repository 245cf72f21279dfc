// Stored-value references cannot be forged: a webhook body shaped like a blob reference, even a real one
// copied from another run, stays plain data. It neither splices another run's data into this run nor
// breaks the run's pages.
import mongoose from 'mongoose';
import { chain, codeNode, docWith, webhookNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
let db: mongoose.Connection;

beforeAll(async () => {
  stack = await startWebStack('forged_refs', { worker: true });
  db = await mongoose.createConnection(stack.mongoUri).asPromise();
}, 240_000);

afterAll(async () => {
  await db?.close();
  await stack?.stop();
});

async function publish(name: string, path: string, code: string): Promise<string> {
  const document = docWith(
    [webhookNode('w', { path, method: 'POST', waitForCompletion: true }), codeNode('c', code)],
    [chain('w', 'c')],
  );
  const created = await stack.api('POST', '/api/workflows', { name, document });
  expect(created.status).toBe(201);
  expect((await stack.api('POST', `/api/workflows/${created.body.workflow.id}/publish`)).status).toBe(201);
  return created.body.workflow.id;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('a real reference from another run, posted in a webhook body, stays plain data', async () => {
  // Run A stores a large secret as a blob; its step record holds the signed reference.
  const secrets = await publish('Payroll', 'payroll', 'return { payroll: "S".repeat(300000) };');
  const a = await post(`${stack.url}/hooks/${secrets}/payroll`, {});
  expect(a.status).toBe(200);
  const step = await db.collection('steps_live').findOne({ nodeId: 'c', type: 'code' });
  const realRef = JSON.parse(step!.output as string);
  expect(realRef).toEqual({ $batonBlob: expect.any(String), bytes: 300014, sig: expect.any(String) });

  // Run B receives that reference (and a made-up one) from an attacker and echoes what it got.
  const echo = await publish('Echo', 'echo', 'return { got: input.body };');
  const forged = { $batonBlob: 'ffffffffffffffffffffffff', bytes: 5, sig: 'A'.repeat(22) };
  const b = await post(`${stack.url}/hooks/${echo}/echo`, { stolen: realRef, made: forged });
  expect(b.status).toBe(200);
  const text = await b.text();
  expect(text).not.toContain('SSSS');
  expect(JSON.parse(text)).toEqual({ c: { got: { stolen: realRef, made: forged } } });

  // Its run and steps read back as the plain data they are: no 500, no spliced secret.
  const runs = await stack.api('GET', `/api/runs?workflowId=${echo}`);
  const runId = runs.body.runs[0].runId as string;
  const run = await waitForRunStatus(stack, runId);
  expect(run.status).toBe('succeeded');
  const steps = await stack.api('GET', `/api/runs/${runId}/steps`);
  expect(steps.status).toBe(200);
  expect(JSON.stringify(steps.body)).not.toContain('SSSS');
  const output = await stack.api('GET', `/api/runs/${runId}`);
  expect(output.status).toBe(200);
  expect(JSON.stringify(output.body)).not.toContain('SSSS');
}, 120_000);
