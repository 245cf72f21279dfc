// The credential vault in real Chromium (issue 8): a credential is created on the credentials page, picked in an HTTP
// request node's inspector, and a run against a loopback server that checks the header succeeds. The edit form
// never shows the secret back. Screenshots of the page and the form are kept with the test results.
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { startSink, type Sink } from '../test/sink';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

const SECRET = `e2e-key-${randomUUID()}`;
let sink: Sink;

test.beforeAll(async () => {
  sink = await startSink();
  sink.handle((req, res) => {
    const ok = req.headers['x-api-key'] === SECRET;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
});

test.afterAll(async () => {
  await sink?.close();
});

test('create a credential, pick it in an HTTP node, and run with it', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const name = `Partner API ${randomUUID().slice(0, 8)}`;

  await page.goto('/credentials');
  await expect(page.getByRole('heading', { name: 'Credentials', exact: true })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: /New credential|Add your first credential/ }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption({ label: 'Header auth' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByLabel('Header name').fill('X-Api-Key');
  await dialog.getByLabel('Header value').fill(SECRET);
  await page.screenshot({ path: testInfo.outputPath('credential-form.png') });
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Header auth');
  await expect(row).toContainText('No workflows');
  await page.screenshot({ path: testInfo.outputPath('credentials-page.png') });

  // Editing shows the secret as set, never its value.
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit “${name}”` });
  await expect(edit.getByLabel('Header value')).toHaveValue('');
  await expect(edit.getByLabel('Header value')).toHaveAttribute('placeholder', '•••• set — leave blank to keep');
  await page.screenshot({ path: testInfo.outputPath('credential-edit.png') });
  await edit.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.content()).not.toContain(SECRET);

  const id = await createWorkflow(page, 'Calls the partner API', {
    nodes: [
      docNode('trigger', 'manual-trigger', 100, 200),
      docNode('call-partner', 'http-request', 400, 200, { method: 'GET', url: `${sink.url}/check` }),
    ],
    edges: [docEdge('trigger', 'out', 'call-partner')],
  });
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await nodeCard(page, 'call-partner').click();
  await page.getByLabel('Authentication').selectOption('credential');
  const picker = page.getByLabel('Credential', { exact: true });
  await expect(picker).toBeEnabled();
  await picker.selectOption({ label: name });
  await page.screenshot({ path: testInfo.outputPath('credential-picker.png') });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  expect(sink.requests.at(-1)?.headers['x-api-key']).toBe(SECRET);

  await page.goto('/credentials');
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('1 workflow');
});
