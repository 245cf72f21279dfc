// Issue 9's approval path in real Chromium, with two signed-in people and an emailed link: a 2-of-3 Approval then a
// branch. The run's starter is among the approvers but barred; one approver decides in the inbox (keyboard, with
// confirmation), another through the link in the email read from the real Mailpit mailbox; the inbox badge counts
// change live; the run continues down "approved".
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import { extractLink, waitForMessage } from '../test/mailbox';
import { api, createWorkflow, docEdge, docNode } from './api';
import { connectE2eDatabase } from './db';
import { OWNER, signIn } from './session';

const PASSWORD = 'approver-password-1';

test.beforeAll(async () => {
  await connectE2eDatabase();
});

test.afterAll(async () => {
  await mongoose.disconnect();
});

// Three browsers and several pages compiled on first use by the dev server.
test.setTimeout(480_000);

async function signInAs(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

test('2-of-3 approval: the starter is barred, one approver decides in the inbox, one by email link', async ({
  page,
  browser,
}) => {
  const stamp = randomUUID().slice(0, 8);
  await signIn(page);
  const { workspaces } = await api<{ workspaces: Array<{ id: string; current: boolean }> }>(
    page,
    'GET',
    '/api/workspaces',
  );
  const workspaceId = workspaces.find((w) => w.current)!.id;
  const people = {
    ana: { email: `ana-${stamp}@baton.test`, name: `Ana ${stamp}` },
    ben: { email: `ben-${stamp}@baton.test`, name: `Ben ${stamp}` },
  };
  for (const person of Object.values(people)) {
    const user = await createUser({ ...person, password: PASSWORD });
    await addMember(workspaceId, user.id, 'approver');
  }

  const title = `Offer for Dana ${stamp}`;
  const workflowId = await createWorkflow(page, `Hiring ${stamp}`, {
    nodes: [
      docNode('start', 'manual-trigger', 100, 200),
      docNode('review', 'approval', 400, 200, {
        title,
        summary: 'Dana starts on Monday as a senior engineer',
        users: [{ user: OWNER.email }, { user: people.ana.email }, { user: people.ben.email }],
        groups: [],
        roles: [],
        rule: 'n-of-m',
        n: 2,
        barStarter: true,
        barPublisher: true,
        form: [{ key: 'level', label: 'Level', type: 'select', options: 'junior, senior', required: false }],
        deadline: 'none',
      }),
      docNode('welcome', 'set-fields', 700, 120, { fields: { branch: 'approved' } }),
      docNode('decline', 'set-fields', 700, 280, { fields: { branch: 'rejected' } }),
    ],
    edges: [
      docEdge('start', 'out', 'review'),
      docEdge('review', 'approved', 'welcome'),
      docEdge('review', 'rejected', 'decline'),
    ],
  });

  const anaContext = await browser.newContext();
  const linkContext = await browser.newContext();
  try {
    const ana = await anaContext.newPage();
    await signInAs(ana, people.ana.email);
    await ana.goto('/inbox');
    await expect(ana.locator('html[data-hydrated]')).toBeAttached();
    await expect(ana.getByTestId('inbox-empty')).toBeVisible();
    await expect(ana.getByTestId('inbox-count')).toHaveCount(0);
    await ana.screenshot({ path: test.info().outputPath('inbox-empty.png') });

    // The owner starts the run; Ana's badge counts it without a reload.
    const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', {
      workflowId,
      input: { name: 'Dana', salary: 5000 },
    });
    await expect(ana.getByTestId('inbox-count')).toHaveText('1');
    const card = ana.locator('article.approval-card').filter({ hasText: title });
    await expect(card).toBeVisible();
    await expect(card.getByTestId('approval-data')).toContainText('"salary": 5000');
    await ana.screenshot({ path: test.info().outputPath('inbox-with-items.png') });

    // The starter is among the approvers but barred: nothing to decide in their inbox, and the run refuses them.
    await page.goto('/inbox');
    await expect(page.getByTestId('inbox-empty')).toBeVisible();
    const refused = await page.evaluate(
      async (path) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ decision: 'approve' }),
        });
        return { status: res.status, body: await res.text() };
      },
      `/api/approvals/${(await api<{ approvals: Array<{ id: string; title: string }> }>(ana, 'GET', '/api/approvals')).approvals.find((a) => a.title === title)!.id}/decision`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/started this run/);

    // Ana approves from the keyboard: the card is current, `a` asks, the dialog confirms.
    await card.getByLabel('Level').selectOption('senior');
    await ana.locator('body').click({ position: { x: 5, y: 5 } });
    await ana.keyboard.press('a');
    const dialog = ana.getByRole('dialog', { name: `Approve “${title}”?` });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Comment').fill('Strong candidate');
    await ana.screenshot({ path: test.info().outputPath('inbox-deciding.png') });
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await expect(ana.getByRole('status').filter({ hasText: `Approved “${title}”` })).toBeVisible();
    await expect(ana.getByTestId('inbox-count')).toHaveCount(0);
    // The last card gone (live), the note of the decision stays above the empty inbox.
    await expect(ana.getByTestId('inbox-empty')).toBeVisible();
    await expect(ana.getByRole('status')).toContainText(`Approved “${title}”`);

    // Ben decides by the link in his email, without signing in.
    const mail = await waitForMessage(people.ben.email, { subject: new RegExp(title), timeoutMs: 60_000 });
    const link = extractLink(mail);
    const guest = await linkContext.newPage();
    await guest.goto(link);
    await expect(guest.getByRole('heading', { name: title })).toBeVisible();
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();
    await guest.screenshot({ path: test.info().outputPath('link-page.png') });
    await guest.getByRole('button', { name: 'Approve' }).click();
    await expect(guest.getByTestId('link-done')).toContainText('Approved');

    // 2 of 3 approved: the run goes down "approved" only.
    await expect
      .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status, {
        timeout: 60_000,
      })
      .toBe('succeeded');
    const { steps } = await api<{ steps: Array<{ nodeId: string; status: string }> }>(
      page,
      'GET',
      `/api/runs/${runId}/steps`,
    );
    const ran = steps.filter((s) => s.status !== 'skipped').map((s) => s.nodeId);
    expect(ran).toContain('welcome');
    expect(ran).not.toContain('decline');
  } finally {
    await anaContext.close();
    await linkContext.close();
  }
});
