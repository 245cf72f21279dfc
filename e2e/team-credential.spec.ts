// Issue 8's whole path for a new teammate, in real Chromium: the owner invites an editor; the editor joins through
// the link, sees nothing of another workspace (not in the list, its workflow's page is a 404, not in the switcher),
// creates a credential, picks it in an HTTP node and runs against a loopback server that checks the header.
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { startSink, type Sink } from '../test/sink';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

const SECRET = `team-key-${randomUUID()}`;
let sink: Sink;

test.beforeAll(async () => {
  sink = await startSink();
  sink.handle((req, res) => {
    const ok = req.headers.authorization === `Bearer ${SECRET}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  });
});

test.afterAll(async () => {
  await sink?.close();
});

// Two browsers and several pages compiled on first use by the dev server.
test.setTimeout(480_000);

test('an invited editor sees only their workspace, creates a credential, uses it in an HTTP node and runs', async ({
  page,
  browser,
}) => {
  const stamp = randomUUID().slice(0, 8);
  await signIn(page);

  // The owner also runs another workspace, with a workflow the editor must never see.
  const home = await api<{ workspaces: Array<{ id: string; current: boolean }> }>(page, 'GET', '/api/workspaces');
  const homeId = home.workspaces.find((w) => w.current)!.id;
  const { workspace: elsewhere } = await api<{ workspace: { id: string } }>(page, 'POST', '/api/workspaces', {
    name: `Elsewhere ${stamp}`,
  });
  await api(page, 'POST', `/api/workspaces/${elsewhere.id}/switch`, {});
  const hiddenName = `Elsewhere payroll ${stamp}`;
  const hiddenId = await createWorkflow(page, hiddenName, {
    nodes: [docNode('t', 'manual-trigger', 100, 100)],
    edges: [],
  });
  await api(page, 'POST', `/api/workspaces/${homeId}/switch`, {});

  const email = `teammate-${stamp}@baton.test`;
  const { link } = await api<{ link: string }>(page, 'POST', '/api/invites', { email, role: 'editor' });

  const teammate = await browser.newContext();
  try {
    const guest = await teammate.newPage();
    await guest.goto(link);
    await guest.getByLabel('Your name').fill('Tess Teammate');
    await guest.getByLabel('Password').fill('tess-password-1');
    await guest.getByRole('button', { name: 'Create account and join' }).click();
    await expect(guest.getByRole('heading', { name: 'Workflows' })).toBeVisible();
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();

    // Nothing of the other workspace: not listed, its page is missing, and it is not in the switcher.
    await expect(guest.getByText(hiddenName)).toHaveCount(0);
    const hiddenPage = await guest.goto(`/workflows/${hiddenId}`);
    expect(hiddenPage?.status()).toBe(404);
    const mine = await api<{ workspaces: Array<{ id: string }> }>(guest, 'GET', '/api/workspaces');
    expect(mine.workspaces.map((w) => w.id)).not.toContain(elsewhere.id);

    // A credential of the editor's own making.
    const credentialName = `Billing ${stamp}`;
    await guest.goto('/credentials');
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();
    await guest.getByRole('button', { name: /New credential|Add your first credential/ }).click();
    const dialog = guest.getByRole('dialog', { name: 'New credential' });
    await dialog.getByLabel('Type').selectOption({ label: 'Bearer token' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(credentialName);
    await dialog.getByLabel('Token').fill(SECRET);
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    await expect(guest.getByRole('row').filter({ hasText: credentialName })).toContainText('Bearer token');

    // Used in an HTTP node of the editor's workflow, and run.
    const id = await createWorkflow(guest, `Bills the customer ${stamp}`, {
      nodes: [
        docNode('trigger', 'manual-trigger', 100, 200),
        docNode('charge', 'http-request', 400, 200, { method: 'GET', url: `${sink.url}/charge` }),
      ],
      edges: [docEdge('trigger', 'out', 'charge')],
    });
    await guest.goto(`/workflows/${id}`);
    await expect(guest.locator('html[data-hydrated]')).toBeAttached();
    await nodeCard(guest, 'charge').click();
    await guest.getByLabel('Authentication').selectOption('credential');
    const picker = guest.getByLabel('Credential', { exact: true });
    await expect(picker).toBeEnabled();
    await picker.selectOption({ label: credentialName });
    await guest.keyboard.press('Control+s');
    await expect(guest.getByTestId('save-status')).toHaveText('Saved');
    await runFromEditor(guest);
    await expect(runPanel(guest).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
    expect(sink.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(await guest.content()).not.toContain(SECRET);
    await guest.screenshot({ path: test.info().outputPath('teammate-run.png') });
  } finally {
    await teammate.close();
  }
});
