// "Verified: its tests pass" in real Chromium (docs/decisions/072): the publisher runs a listed workflow whose HTTP
// node calls a local server, attaches tests from that run on the listing page, and the page shows "Verified: 1 test
// passes on this instance" without the dry run sending a single request; that run's tests do not attach to a version
// whose Set node changed, and the refusal names the node and the difference; copied there in the store they show
// "Tests not signed" (they are not the publisher's for that version), and signed for it, "Tests fail here" with that
// difference.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import { storeSignedTests } from '../db/listing-tests';
import { setVersionTestsJson, versionTestsJson } from '../db/marketplace-listings';
import { api, createWorkflow, docEdge, docNode } from './api';
import { connectE2eDatabase } from './db';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

let requests = 0;
const server = createServer((_req, res) => {
  requests++;
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'Ada Lovelace' }));
});
test.beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await connectE2eDatabase();
});
test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await mongoose.disconnect();
});

const document = (label: string) => ({
  nodes: [
    docNode('start', 'manual-trigger', 0, 0),
    docNode('call', 'http-request', 300, 0, {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/people/7`,
    }),
    docNode('shape', 'set-fields', 600, 0, { fields: { label }, keepInput: false }),
  ],
  edges: [docEdge('start', 'out', 'call'), docEdge('call', 'out', 'shape')],
});

async function finishedRun(page: Page, workflowId: string, version: number): Promise<string> {
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, version, input: {} });
  await expect
    .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status, {
      timeout: 60_000,
    })
    .toBe('succeeded');
  return runId;
}

test('attach tests from a run, see them verified here, and see a changed version fail', async ({ page }, testInfo) => {
  const stamp = randomUUID().slice(0, 8);
  const title = `Greeter ${stamp}`;
  await signIn(page);
  const workflowId = await createWorkflow(page, title, document('Hello {{ $input.body.name }}'));
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`);
  const runId = await finishedRun(page, workflowId, 1);
  expect(requests).toBe(1);
  const { listing } = await api<{ listing: { id: string } }>(page, 'POST', '/api/marketplace/listings', {
    workflowId,
    title,
    category: 'HR',
    visibility: 'workspace',
    version: '1.0.0',
  });

  await page.goto(`/marketplace/${listing.id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Attach tests from a run' }).click();
  const form = page.getByRole('form', { name: 'Attach tests to v1.0.0' });
  await form.getByLabel('Run id').fill('run_missing');
  await form.getByRole('button', { name: 'Attach tests' }).click();
  await expect(form.getByRole('alert')).toHaveText('Run run_missing does not exist in this workspace.');
  await form.screenshot({ path: testInfo.outputPath('attach-form.png') });
  await form.getByLabel('Run id').fill(runId);
  await form.getByLabel('Test name (optional)').fill('Greets Ada');
  await form.getByRole('button', { name: 'Attach tests' }).click();
  const badge = page.getByText('Verified: 1 test passes on this instance');
  await expect(badge).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('tests-verified.png'), fullPage: true });
  await page.reload();
  await expect(page.getByText('Verified: 1 test passes on this instance')).toBeVisible();
  expect(requests).toBe(1); // the dry runs replayed the HTTP node: nothing reached the server

  // Version 1.0.1 changes the Set node; the tests attached to it from the first run fail here, naming the node.
  await api(page, 'PUT', `/api/workflows/${workflowId}`, {
    revision: (await api<{ workflow: { revision: number } }>(page, 'GET', `/api/workflows/${workflowId}`)).workflow
      .revision,
    document: { settings: {}, ...document('Hi {{ $input.body.name }}') },
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`);
  await api(page, 'POST', `/api/marketplace/listings/${listing.id}/versions`, { version: '1.0.1' });
  const refused = await page.evaluate(
    async ({ id, runId }) => {
      const res = await fetch(`/api/marketplace/listings/${id}/versions/1.0.1/tests/attach`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ runId }),
      });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    },
    { id: listing.id, runId },
  );
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toContain(
    'Node "shape" (shape) output differs at label: expected "Hello Ada Lovelace", got "Hi Ada Lovelace".',
  );
  expect(requests).toBe(1);

  // Copied to 1.0.1 in the store (the API refuses them), the first run's tests are nobody's signed tests there.
  const firstTests = (await versionTestsJson(listing.id, '1.0.0'))!;
  await setVersionTestsJson(listing.id, '1.0.1', firstTests);
  await page.reload();
  const trust = page.getByRole('region', { name: 'Signature' });
  await expect(trust.getByText('Tests not signed')).toBeVisible();
  await expect(trust).toContainText('The tests of version 1.0.1 are not signed by its publisher');
  await expect(trust.getByText(/^Verified:/)).toHaveCount(0);
  await trust.screenshot({ path: testInfo.outputPath('tests-unsigned.png') });

  // Signed for 1.0.1 (set up in the store, as the publisher's key would), they run here and fail, naming the node.
  // The app's vault key opens the publisher's signing key; without BATON_E2E_HOME the spec would make a key of its own.
  const appHome = process.env.BATON_E2E_HOME;
  if (!appHome)
    throw new Error('BATON_E2E_HOME is not set: the e2e setup (global-setup or `baton test`) names the app home');
  process.env.BATON_HOME = appHome;
  await storeSignedTests(listing.id, '1.0.1', JSON.parse(firstTests));
  await page.reload();
  await expect(trust.getByText('Tests fail here')).toBeVisible();
  await expect(trust).toContainText(
    'Greets Ada: Node "shape" (shape) output differs at label: expected "Hello Ada Lovelace", got "Hi Ada Lovelace".',
  );
  await trust.screenshot({ path: testInfo.outputPath('tests-fail.png') });
  expect(requests).toBe(1);
});
