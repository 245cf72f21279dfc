// The credentials page's "Browser sessions" section in real Chromium (docs/decisions/060): the empty state, a saved
// session listed with its sites, size and the workflow that saved it (never its cookie), deleting it from the
// keyboard through the confirmation, and limiting one to picked workflows (and back to all). Screenshots are kept with
// the test results.
import { expect, test } from '@playwright/test';
import mongoose from 'mongoose';
import { saveBrowserSession } from '../db/browser-sessions';
import { createWorkflow } from './api';
import { connectE2eDatabase } from './db';
import { OWNER, signIn } from './session';

const COOKIE = 'e2e-session-cookie-5d1c';

test.beforeAll(async () => {
  await connectE2eDatabase();
});

test.afterAll(async () => {
  await mongoose.disconnect();
});

async function ownerWorkspace(): Promise<string> {
  const owner = await mongoose.connection.db!.collection('users').findOne({ email: OWNER.email });
  const membership = await mongoose.connection.db!.collection('memberships').findOne({ userId: String(owner!._id) });
  return membership!.workspaceId as string;
}

test('saved sessions are listed without their state and deleted through a confirmation', async ({ page }, info) => {
  await signIn(page);
  const workspaceId = await ownerWorkspace();
  await mongoose.connection.db!.collection('browser_sessions').deleteMany({ workspaceId });

  await page.goto('/credentials');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const section = page.getByRole('region', { name: 'Browser sessions' });
  await expect(section).toContainText('No saved sessions.');
  await page.screenshot({ path: info.outputPath('browser-sessions-empty.png'), fullPage: true });

  const workflowId = await createWorkflow(page, 'CRM nightly export', { nodes: [], edges: [] });
  const state = {
    cookies: [
      {
        name: 'sid',
        value: COOKIE,
        domain: 'crm.example.com',
        path: '/',
        expires: -1,
        httpOnly: true,
        secure: true,
        sameSite: 'Lax' as const,
      },
    ],
    origins: [{ origin: 'https://app.example.com', localStorage: [{ name: 'token', value: COOKIE }] }],
  };
  await saveBrowserSession(workspaceId, 'crm login', state, { workflowId, runId: 'run-e2e', nodeId: 'browse' });

  await page.reload();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const row = section.getByRole('row').filter({ hasText: 'crm login' });
  await expect(row).toContainText('app.example.com +1');
  await expect(row).toContainText('1 cookie');
  await expect(row.getByRole('link', { name: 'CRM nightly export' })).toHaveAttribute(
    'href',
    `/workflows/${workflowId}`,
  );
  expect(await page.content()).not.toContain(COOKIE);
  await page.screenshot({ path: info.outputPath('browser-sessions-listed.png'), fullPage: true });

  await row.getByRole('button', { name: 'Delete session crm login' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete session “crm login”?' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: info.outputPath('browser-sessions-confirm.png') });
  await dialog.getByRole('button', { name: 'Delete session' }).click();
  await expect(dialog).toBeHidden();
  await expect(section).toContainText('No saved sessions.');
  expect(await mongoose.connection.db!.collection('browser_sessions').countDocuments({ workspaceId })).toBe(0);
});

test('a session is limited to picked workflows from the keyboard, and opened to all again', async ({ page }, info) => {
  await signIn(page);
  const workspaceId = await ownerWorkspace();
  await mongoose.connection.db!.collection('browser_sessions').deleteMany({ workspaceId });
  const billing = await createWorkflow(page, 'Billing portal sync', { nodes: [], edges: [] });
  await createWorkflow(page, 'Reports scraper', { nodes: [], edges: [] });
  const state = { cookies: [], origins: [{ origin: 'https://billing.example.com', localStorage: [] }] };
  await saveBrowserSession(workspaceId, 'billing', state, { workflowId: billing, runId: 'run-e2e', nodeId: 'browse' });

  await page.goto('/credentials');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const section = page.getByRole('region', { name: 'Browser sessions' });
  const row = section.getByRole('row').filter({ hasText: 'billing.example.com' });
  await expect(row).toContainText('All workflows');

  await row.getByRole('button', { name: 'Limit session billing to workflows' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Workflows that may use “billing”' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('None picked: every workflow');
  await dialog.getByRole('checkbox', { name: 'Billing portal sync' }).focus();
  await page.keyboard.press('Space');
  await expect(dialog).toContainText('Only the 1 picked workflow may sign in with it');
  await page.screenshot({ path: info.outputPath('browser-sessions-limit.png') });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Billing portal sync');
  const stored = await mongoose.connection.db!.collection('browser_sessions').findOne({ workspaceId, name: 'billing' });
  expect(stored?.allowedWorkflowIds).toEqual([billing]);
  await page.screenshot({ path: info.outputPath('browser-sessions-limited.png'), fullPage: true });

  await row.getByRole('button', { name: 'Limit session billing to workflows' }).click();
  await dialog.getByRole('checkbox', { name: 'Billing portal sync' }).uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('All workflows');
});
