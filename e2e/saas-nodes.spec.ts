// Slack and BambooHR in real Chromium: the palette offers both, a Slack incoming webhook credential (pointing at the
// Slack replay server) passes "Test connection" without posting, the Slack inspector shows the fields of the chosen
// way of posting, the BambooHR inspector those of the chosen operation, and a run posts the message once.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { startSlackReplay, type SlackReplay } from '../test/replay/slack';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

let slack: SlackReplay;
test.beforeAll(async () => {
  slack = await startSlackReplay();
});
test.afterAll(async () => {
  await slack?.close();
});

test('the Slack and BambooHR nodes in the editor, and a Slack post through an incoming webhook', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const hookName = `New hires hook ${randomUUID().slice(0, 8)}`;

  await page.goto('/credentials');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: /New credential|Add your first credential/ }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption({ label: 'Slack incoming webhook' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(hookName);
  await dialog.getByLabel('Webhook URL').fill(slack.webhookUrl);
  const before = slack.posted.length;
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status')).toContainText('Slack knows this webhook');
  expect(slack.posted.length).toBe(before);
  await page.screenshot({ path: testInfo.outputPath('slack-webhook-credential.png') });
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(page.getByRole('row').filter({ hasText: hookName })).toContainText('Slack incoming webhook');

  const hr = await createWorkflow(page, 'New hire in BambooHR', {
    nodes: [docNode('trigger', 'manual-trigger', 100, 200), docNode('hire', 'bamboohr', 400, 200)],
    edges: [docEdge('trigger', 'out', 'hire')],
  });
  await page.goto(`/workflows/${hr}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByLabel('Search nodes').fill('slack');
  await expect(page.getByRole('button', { name: 'Add Slack' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('palette-slack.png') });
  await page.getByLabel('Search nodes').fill('employee');
  await expect(page.getByRole('button', { name: 'Add BambooHR' })).toBeVisible();

  await nodeCard(page, 'hire').click();
  const operation = page.getByLabel('Operation');
  await expect(operation).toHaveValue('createEmployee');
  await expect(page.getByText('Employee fields', { exact: true })).toBeVisible();
  await expect(page.getByLabel('From', { exact: true })).toHaveCount(0);
  await operation.selectOption('createTimeOff');
  await expect(page.getByLabel('From', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Time off type ID')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('bamboohr-inspector.png'), fullPage: true });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  const id = await createWorkflow(page, 'Welcome on Slack', {
    nodes: [
      docNode('trigger', 'manual-trigger', 100, 200, { samplePayload: { name: 'Ada' } }),
      docNode('announce', 'slack', 400, 200, { text: 'Welcome {{ $input.name }} :tada:' }),
    ],
    edges: [docEdge('trigger', 'out', 'announce')],
  });
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await nodeCard(page, 'announce').click();
  const via = page.getByLabel('Post with');
  await expect(via).toHaveValue('api');
  await expect(page.getByLabel('Channel', { exact: true })).toBeVisible();
  await via.selectOption('webhook');
  await expect(page.getByLabel('Channel', { exact: true })).toHaveCount(0);
  await page.getByLabel('Incoming webhook').selectOption({ label: hookName });
  await page.screenshot({ path: testInfo.outputPath('slack-inspector.png'), fullPage: true });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('slack-run.png') });
  expect(slack.posted.filter((m) => m.text === 'Welcome Ada :tada:')).toEqual([
    expect.objectContaining({ channel: 'C0NEWHIRES', via: 'webhook' }),
  ]);
  expect(await page.content()).not.toContain(new URL(slack.webhookUrl).pathname);
});
