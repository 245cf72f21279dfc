// The Account page and the reset page in real Chromium (issue 8): a member creates an API token from the keyboard
// (shown once, usable, then revoked), ends a session of another browser, changes their password; an owner issues a
// reset link and the member sets a new password through it, once.
import { expect, test, type Browser, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import { connectE2eDatabase } from './db';
import { api } from './api';
import { OWNER, signIn } from './session';

const shots = `test-results/${process.env.BATON_E2E_NAME ?? 'account'}`;

test.beforeAll(async () => {
  await connectE2eDatabase();
});

test.afterAll(async () => {
  await mongoose.disconnect();
});

async function memberOfOwnerWorkspace(tag: string) {
  const owner = await mongoose.connection.db!.collection('users').findOne({ email: OWNER.email });
  const membership = await mongoose.connection.db!.collection('memberships').findOne({ userId: String(owner!._id) });
  const email = `account-${tag}@baton.test`;
  const user = await createUser({ email, name: `Acct ${tag}`, password: 'first-password-1' });
  await addMember(membership!.workspaceId as string, user.id, 'editor');
  return { id: user.id, email };
}

async function signInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  return page;
}

test('account: tokens, sessions, password change, and a reset link used once', async ({ page, browser, request }) => {
  test.setTimeout(420_000); // four browsers on a page each compiles on first use
  await signIn(page);
  const tag = Date.now().toString(36);
  const user = await memberOfOwnerWorkspace(tag);
  const mine = await signInAs(browser, user.email, 'first-password-1');
  const elsewhere = await signInAs(browser, user.email, 'first-password-1');

  await mine.goto('/account');
  await expect(mine.locator('html[data-hydrated]')).toBeAttached();
  await expect(mine.getByText('You have no API tokens yet.')).toBeVisible();
  await expect(mine.getByLabel(/admin/)).toBeDisabled();
  await mine.screenshot({ path: `${shots}/account-empty.png`, fullPage: true });

  // Create a run token from the keyboard.
  await mine.getByLabel('Name').focus();
  await mine.keyboard.type('Nightly import');
  await mine.keyboard.press('Tab');
  await mine.keyboard.press('Tab');
  await mine.keyboard.press('Tab');
  await mine.keyboard.press('Space'); // the third scope: run
  await mine.getByLabel('Name').press('Enter');
  const reveal = mine.getByLabel('New token');
  await expect(reveal).toBeVisible();
  const token = (await reveal.textContent())!;
  expect(token).toMatch(/^baton_/);
  await mine.screenshot({ path: `${shots}/account-token-created.png`, fullPage: true });
  const row = mine.getByRole('row', { name: /Nightly import/ });
  await expect(row).toContainText('read, run');

  const me = await request.get('/api/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  await mine.reload();
  await expect(mine.getByRole('row', { name: /Nightly import/ })).toContainText('just now');

  await mine.getByRole('button', { name: 'Revoke Nightly import' }).click();
  await expect(mine.getByRole('row', { name: /Nightly import/ })).toContainText('Revoked');
  const refused = await request.get('/api/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  expect(await refused.text()).toContain('revoked');

  // End the other browser's session.
  const sessions = mine.getByRole('region', { name: 'Sessions' });
  await expect(sessions.getByRole('row')).toHaveCount(3);
  await expect(sessions.getByText('This browser')).toBeVisible();
  await sessions.getByRole('button', { name: 'End session' }).click();
  await expect(mine.getByText('Session ended.')).toBeVisible();
  await expect(sessions.getByRole('row')).toHaveCount(2);
  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/login/);

  // Change the password.
  await mine.getByLabel('Current password').fill('wrong-password');
  await mine.getByLabel('New password', { exact: true }).fill('second-password-2');
  await mine.getByLabel('New password again').fill('second-password-2');
  await mine.getByRole('button', { name: 'Change password' }).click();
  await expect(mine.getByRole('alert')).toContainText('not your current password', { timeout: 120_000 });
  await mine.getByLabel('Current password').fill('first-password-1');
  await mine.getByLabel('New password', { exact: true }).fill('second-password-2');
  await mine.getByLabel('New password again').fill('second-password-2');
  await mine.getByRole('button', { name: 'Change password' }).click();
  await expect(mine.getByText('Password changed.')).toBeVisible({ timeout: 120_000 }); // argon2id on a busy machine
  await mine.screenshot({ path: `${shots}/account-after.png`, fullPage: true });

  // The owner issues a reset link; the member uses it once.
  const { link } = await api<{ link: string }>(page, 'POST', `/api/members/${user.id}/reset`);
  const resetPage = await (await browser.newContext()).newPage();
  await resetPage.goto(new URL(link).pathname);
  await expect(resetPage.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await resetPage.screenshot({ path: `${shots}/reset-form.png` });
  await resetPage.getByLabel('New password', { exact: true }).fill('third-password-3');
  await resetPage.getByLabel('New password again').fill('third-password-3');
  await resetPage.keyboard.press('Enter');
  await expect(resetPage.getByRole('heading', { name: 'Workflows' })).toBeVisible({ timeout: 120_000 });
  await mine.reload();
  await expect(mine).toHaveURL(/\/login/);
  await resetPage.goto(new URL(link).pathname);
  await expect(resetPage.getByRole('alert')).toContainText('has been used');
  await resetPage.screenshot({ path: `${shots}/reset-used.png` });
});
