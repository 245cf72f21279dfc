// Inviting a teammate in real Chromium: the owner creates an editor invite on the Members page, the invitee opens
// the link in a fresh browser, sets a name and password and lands in the workspace, where the nav shows no Members
// link (editors lack member.manage) and the Members page answers 403. The used link then says so. Back on the
// Members page the owner issues the editor a reset link, ends their sessions, and is refused a second link once
// the editor owns a workspace of their own.
import { expect, test } from '@playwright/test';
import { signIn } from './session';

const shots = (name: string) => `test-results/${process.env.BATON_E2E_NAME ?? 'e2e'}/invite-${name}.png`;

// Two browsers and five pages compiled on first use by the dev server: more than the default on a busy machine.
test.setTimeout(480_000);

test('an owner invites an editor, who joins through the link and cannot manage members', async ({ page, browser }) => {
  const email = `invitee-${Date.now().toString(36)}@baton.test`;
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('editor');
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const linkField = page.getByLabel('Invite link');
  await expect(linkField).toHaveValue(/\/invite\/inv_/);
  const link = await linkField.inputValue();
  await expect(page.getByRole('table', { name: 'Pending invites' }).getByText(email)).toBeVisible();
  await page.screenshot({ path: shots('1-members-page'), fullPage: true });

  const invitee = await browser.newContext();
  try {
    const guest = await invitee.newPage();
    await guest.goto(link);
    await expect(guest.getByRole('heading', { name: /^Join / })).toBeVisible();
    await expect(guest.getByText(`invited ${email} as editor`)).toBeVisible();
    await guest.screenshot({ path: shots('2-invite-page') });
    await guest.getByLabel('Your name').fill('Ivy Invitee');
    await guest.getByLabel('Password').fill('ivy-password-1');
    await guest.getByRole('button', { name: 'Create account and join' }).click();

    await expect(guest.getByRole('heading', { name: 'Workflows' })).toBeVisible();
    const nav = guest.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Workflows' })).toBeVisible();
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();
    await nav.getByRole('button', { name: 'Settings' }).click();
    await expect(nav.getByRole('link', { name: 'Credentials' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Members' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await nav.getByRole('button', { name: 'Settings' }).click();
    await expect(guest.getByText('Ivy Invitee')).toBeVisible();
    await guest.screenshot({ path: shots('3-invitee-home') });

    const members = await guest.goto('/settings/members');
    expect(members?.status()).toBe(403);
    await expect(guest.getByRole('heading', { name: 'You cannot manage members here' })).toBeVisible();
    await expect(guest.getByText(/member\.manage/)).toBeVisible();
    await guest.screenshot({ path: shots('4-members-forbidden') });

    // The switcher lists the one workspace, with the editor role, and opens from the keyboard.
    await guest.goto('/');
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();
    await guest.getByRole('button', { name: /Switch workspace/ }).focus();
    await guest.keyboard.press('Enter');
    await expect(guest.getByRole('group', { name: 'Workspaces' }).getByText('editor')).toBeVisible();
    await guest.screenshot({ path: shots('5-switcher') });
    await guest.keyboard.press('Escape');
    await expect(guest.getByRole('group', { name: 'Workspaces' })).toHaveCount(0);
  } finally {
    await invitee.close();
  }

  const stranger = await browser.newContext();
  try {
    const again = await stranger.newPage();
    const answer = await again.goto(link);
    expect(answer?.status()).toBe(410);
    await expect(again.getByText('already been used')).toBeVisible();
    await again.screenshot({ path: shots('6-used-link') });
  } finally {
    await stranger.close();
  }

  await page.reload();
  await expect(page.getByRole('cell', { name: new RegExp(email) })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pending invites' })).toHaveCount(0);

  // The owner issues the editor a password reset link: shown once under their row, focused, with its expiry.
  await page.getByRole('button', { name: 'Issue a reset link for Ivy Invitee' }).click();
  const resetField = page.getByLabel('Password reset link for Ivy Invitee');
  await expect(resetField).toHaveValue(/\/reset\/[^/]+$/);
  await expect(resetField).toBeFocused();
  await expect(page.getByText(/valid once until/)).toBeVisible();
  await page.screenshot({ path: shots('7-reset-link'), fullPage: true });
  const resetLink = await resetField.inputValue();

  // The editor signs in once more, so they have two sessions: the one from joining and this one.
  const ivy = await browser.newContext();
  try {
    const ivyPage = await ivy.newPage();
    const signInAsIvy = async () => {
      await ivyPage.goto('/login');
      await ivyPage.getByLabel('Email').fill(email);
      await ivyPage.getByLabel('Password').fill('ivy-password-1');
      await ivyPage.keyboard.press('Enter');
      await expect(ivyPage.getByRole('heading', { name: 'Workflows' })).toBeVisible();
    };
    await signInAsIvy();

    // Ending them, from the keyboard, asks first, then says how many ended; the editor's next request signs them out.
    await page.getByRole('button', { name: 'End sessions of Ivy Invitee' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'End every session of Ivy Invitee?' });
    await expect(confirm).toBeVisible();
    await page.screenshot({ path: shots('8-end-sessions-confirm') });
    await confirm.getByRole('button', { name: 'End sessions' }).click();
    await expect(page.getByText('Ended 2 sessions of Ivy Invitee; they must sign in again.')).toBeVisible();
    await expect(confirm).toBeHidden();
    await expect(resetField).toHaveValue(resetLink);
    await page.screenshot({ path: shots('9-sessions-ended'), fullPage: true });
    await ivyPage.reload();
    await expect(ivyPage).toHaveURL(/\/login/);

    // Once the editor owns a workspace of their own, a reset link would hand the owner that too: refused inline.
    await signInAsIvy();
    const created = await ivyPage.evaluate(async () => {
      const res = await fetch('/api/workspaces', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Ivy side project' }),
      });
      return res.status;
    });
    expect(created).toBe(201);
  } finally {
    await ivy.close();
  }
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(resetField).toHaveCount(0);
  await page.getByRole('button', { name: 'Issue a reset link for Ivy Invitee' }).click();
  await expect(page.getByRole('alert')).toContainText('also owner in a workspace you do not manage');
  await page.screenshot({ path: shots('10-reset-refused'), fullPage: true });

  // The link shown earlier is a working reset link.
  const holder = await browser.newContext();
  try {
    const resetPage = await holder.newPage();
    await resetPage.goto(resetLink);
    await expect(resetPage.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  } finally {
    await holder.close();
  }
});
