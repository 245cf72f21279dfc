// Issue 13's install and update path across two workspaces, in real Chromium (docs/decisions/069), done as people
// do it. Workspace A makes HR onboarding from its template, publishes it and lists it as 1.0.0 with "Publish to
// marketplace". B (another user, another workspace) finds it by search, installs it through the wizard (permissions,
// signer, credentials of its own, a new IT equipment table, name), points the Settings node at its own director and
// calendar in the inspector, saves with Ctrl+S and runs it from the form: its director approves (through the API)
// and the run succeeds, IT's rows landing in B's new table. A changes the welcome email's subject in its editor and
// lists 1.1.0 with a changelog from the dialog; B's workflow list shows "Update available: v1.1.0", which leads to
// the editor's notice; B reviews the three-way diff and updates: B's edit kept and A's change applied, B's
// credentials still mapped (read from the saved document), and the badge gone. B rolls back: 1.0.0's document is
// back, and so is the badge.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { addMember, createWorkspace } from '../db/workspaces';
import { caldavAccount, ensureRadicale, makeCalendar, type Radicale } from '../test/radicale';
import { api } from './api';
import { nodeCard } from './canvas-helpers';
import { connectE2eDatabase } from './db';
import { signIn } from './session';

let radicale: Radicale;
let calendarName: string;

test.beforeAll(async () => {
  await connectE2eDatabase();
  radicale = await ensureRadicale();
  calendarName = (await makeCalendar('Installed onboarding')).displayName;
});

test.afterAll(async () => {
  await mongoose.disconnect();
  await radicale?.stop();
});

test.describe.configure({ timeout: 420_000 });
test.use({ actionTimeout: 60_000 });

const shots = `test-results/${process.env.BATON_E2E_NAME ?? 'marketplace'}`;

interface Doc {
  nodes: Array<{ id: string; params: Record<string, unknown> }>;
}
const paramsOf = (doc: Doc, id: string) => doc.nodes.find((n) => n.id === id)!.params;

/** The BambooHR replay e2e/global-setup.ts started for web and worker. */
function bambooReplay(): { company: string; apiKey: string } {
  const raw = process.env.BATON_E2E_BAMBOOHR;
  if (!raw) throw new Error('BATON_E2E_BAMBOOHR is not set: run the specs through e2e/global-setup.ts.');
  return JSON.parse(raw) as { company: string; apiKey: string };
}

/**
 * Mail, BambooHR and CalDAV credentials of the signed-in workspace, by type. `live`: ones a run can use (the
 * BambooHR replay, Radicale); otherwise placeholders that are never called.
 */
async function credentialsFor(
  page: Page,
  prefix: string,
  live = false,
): Promise<Record<string, { id: string; name: string }>> {
  const port = Number(new URL(process.env.BATON_SMTP_URL ?? 'smtp://127.0.0.1:1025').port);
  const values: Record<string, Record<string, unknown>> = {
    smtp: { host: '127.0.0.1', port, secure: false, from: `${prefix} HR <hr@${prefix.toLowerCase()}.test>` },
    bamboohr: live
      ? { companyDomain: bambooReplay().company, apiKey: bambooReplay().apiKey }
      : { companyDomain: 'acme', apiKey: `${prefix}-bamboo-key` },
    caldav: live
      ? caldavAccount()
      : { serverUrl: 'http://127.0.0.1:9/dav/', username: prefix, password: `${prefix}-dav` },
  };
  const out: Record<string, { id: string; name: string }> = {};
  for (const [type, v] of Object.entries(values)) {
    const name = `${prefix} ${type}`;
    const { credential } = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
      name,
      type,
      values: v,
    });
    out[type] = { id: credential.id, name };
  }
  return out;
}

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

async function openEditor(page: Page, workflowId: string) {
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

/** Selects a node by clicking its card on the canvas; the inspector then shows it. */
async function selectNode(page: Page, name: string) {
  await nodeCard(page, name).click();
  await expect(page.getByLabel('Node name')).toHaveValue(name);
}

/** Sets one field of the selected Set node in the inspector's Fields rows: the value beside the row of that name. */
async function setField(page: Page, name: string, value: string) {
  const fields = page.locator('[data-param="fields"]');
  const names = await fields
    .getByRole('textbox', { name: /^Fields name \d+$/ })
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  const row = names.indexOf(name) + 1;
  if (row === 0) throw new Error(`The Settings node has no field "${name}" (it has ${names.join(', ')}).`);
  await fields.getByRole('textbox', { name: `Fields value ${row}`, exact: true }).fill(value);
}

/** Saves the draft with Ctrl+S, as a person does, and waits for the editor to say so. */
async function saveDraft(page: Page) {
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
}

test('B installs A’s listing, edits and runs it, takes A’s update keeping its edit, and rolls back', async ({
  page,
  browser,
}) => {
  const stamp = randomUUID().slice(0, 8);
  const title = `Onboarding ${stamp}`;

  // ---- A: its own workspace, HR onboarding from the template, published, listed as 1.0.0 from the editor.
  await signIn(page);
  const { workspace: home } = await api<{ workspace: { id: string } }>(page, 'POST', '/api/workspaces', {
    name: `Publisher ${stamp}`,
  });
  await api(page, 'POST', `/api/workspaces/${home.id}/switch`, {});
  const aCreds = await credentialsFor(page, 'A');
  const { table } = await api<{ table: { id: string } }>(page, 'POST', '/api/data-tables', {
    name: `IT equipment ${stamp}`,
    columns: [
      { name: 'Employee', type: 'string', required: true },
      { name: 'Work email', type: 'string', required: true },
      { name: 'Item', type: 'string', required: true },
      { name: 'Department', type: 'string' },
      { name: 'Due', type: 'date' },
      { name: 'Done', type: 'boolean' },
    ],
  });
  const { workflow: source } = await api<{ workflow: { id: string } }>(
    page,
    'POST',
    '/api/templates/hr-onboarding/workflows',
    {
      name: title,
      inputs: {
        companyName: 'Acme',
        hrDirectorEmail: `director-${stamp}@acme.test`,
        hrEmail: `hr-${stamp}@acme.test`,
        itEmail: `it-${stamp}@acme.test`,
      },
      credentials: { mail: aCreds.smtp.id, calendar: aCreds.caldav.id, bamboohr: aCreds.bamboohr.id },
      tables: { equipment: table.id },
    },
  );
  await openEditor(page, source.id);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Published version 1.')).toBeVisible();
  await page.getByRole('button', { name: 'Publish to marketplace' }).click();
  const publish = page.getByRole('dialog', { name: 'Publish to marketplace' });
  await publish.getByLabel('Title').fill(title);
  await publish.getByLabel('Category').fill('HR');
  await publish.getByLabel('Visibility').selectOption('instance');
  await publish.getByLabel('Version').fill('1.0.0');
  await publish.getByRole('button', { name: 'Publish listing' }).click();
  await expect(publish.getByRole('status')).toContainText('as version 1.0.0');
  const listingHref = await publish.getByRole('link', { name: 'Open the listing' }).getAttribute('href');
  const listingId = listingHref!.split('/').pop()!;
  await publish.getByRole('button', { name: 'Close' }).click();

  // ---- B: another user with a workspace of its own.
  const bEmail = `installer-${stamp}@other.test`;
  const bUser = await createUser({ email: bEmail, name: 'Bea Installer', password: 'installer-password-1' });
  const bWorkspace = await createWorkspace({ name: `Installer ${stamp}`, ownerId: bUser.id });
  // B's HR director: a member who may approve (the template's approval bars whoever published or started the run).
  const directorEmail = `director-${stamp}@bea.test`;
  const director = await createUser({ email: directorEmail, name: 'Dee Director', password: 'director-password-1' });
  await addMember(bWorkspace.id, director.id, 'approver');
  const bContext = await browser.newContext();
  try {
    const b = await bContext.newPage();
    await signInAs(b, bEmail, 'installer-password-1');
    const bCreds = await credentialsFor(b, 'B', true);

    // Finds the listing by search and opens it.
    await b.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
    await expect(b.locator('html[data-hydrated]')).toBeAttached();
    await b.getByLabel('Search the marketplace').fill(stamp);
    // The results settle (the search is debounced) before the card is clicked.
    const results = b.getByRole('list', { name: 'Listings' }).getByRole('link');
    await expect(results).toHaveCount(1);
    await expect(b.getByRole('status').filter({ hasText: '1 listing' })).toBeVisible();
    await results.filter({ hasText: title }).click();
    await b.waitForURL(new RegExp(`/marketplace/${listingId}$`));
    await expect(b.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(b.locator('html[data-hydrated]')).toBeAttached();
    await b.screenshot({ path: `${shots}/marketplace-1-listing.png`, fullPage: true });

    // The wizard: permissions, signer, credentials, name.
    await b.getByRole('button', { name: 'Install', exact: true }).click();
    const wizard = b.getByRole('dialog', { name: /Install “/ });
    await expect(wizard.getByRole('heading', { name: /Permissions/ })).toBeVisible();
    await expect(wizard).toContainText('Sends email through a mail server you choose');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('alert')).toContainText('I allow these');
    await wizard.getByLabel('I allow these').check();
    await b.screenshot({ path: `${shots}/marketplace-2-permissions.png` });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard).toContainText(`Signed by Publisher ${stamp}, key ed25519-`);
    await expect(wizard.getByText('Verified', { exact: true })).toBeVisible();
    await b.screenshot({ path: `${shots}/marketplace-3-signer.png` });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('heading', { name: /Credentials/ })).toBeVisible();
    // One picker per credential param: seven take B's mail, BambooHR and CalDAV; the form's optional password stays empty.
    const pickers = wizard.getByRole('combobox');
    await expect(pickers).toHaveCount(8);
    let picked = 0;
    for (const picker of await pickers.all()) {
      const options = await picker.locator('option').allTextContents();
      const mine = Object.values(bCreds).find((c) => options.includes(c.name));
      if (!mine) continue;
      await picker.selectOption({ label: mine.name });
      picked++;
    }
    expect(picked).toBe(7);
    await b.screenshot({ path: `${shots}/marketplace-4-credentials.png` });
    await wizard.getByRole('button', { name: 'Next' }).click();
    // The IT tasks node wrote to A's table: B creates its own from the listed columns (the name is editable).
    await expect(wizard.getByRole('heading', { name: /Data tables/ })).toBeVisible();
    await expect(wizard.getByRole('group', { name: `IT equipment ${stamp}` })).toContainText(
      'Columns: Employee (Text, required), Work email (Text, required), Item (Text, required)',
    );
    await wizard.getByLabel(`Name of the new table for IT equipment ${stamp}`).fill('');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await expect(wizard.getByRole('alert').first()).toContainText(`Name the new table for “IT equipment ${stamp}”`);
    await wizard.getByLabel(`Name of the new table for IT equipment ${stamp}`).fill(`B equipment ${stamp}`);
    await b.screenshot({ path: `${shots}/marketplace-4b-tables.png` });
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Workflow name').fill(`Our onboarding ${stamp}`);
    await wizard.getByRole('button', { name: 'Install workflow' }).click();
    await b.waitForURL(/\/workflows\/[a-f0-9]{24}$/);
    const installedId = new URL(b.url()).pathname.split('/').pop()!;
    await expect(b.locator('html[data-hydrated]')).toBeAttached();

    const read = async () =>
      (await api<{ workflow: { revision: number; document: Doc } }>(b, 'GET', `/api/workflows/${installedId}`))
        .workflow;
    const installed = await read();
    expect(paramsOf(installed.document, 'welcome').credential).toBe(bCreds.smtp.id);
    expect(paramsOf(installed.document, 'bamboo').credential).toBe(bCreds.bamboohr.id);
    const { tables: bTables } = await api<{ tables: Array<{ id: string; name: string; workspaceId: string }> }>(
      b,
      'GET',
      '/api/data-tables',
    );
    const bTable = bTables.find((t) => t.name === `B equipment ${stamp}`)!;
    expect(bTable).toBeDefined();
    expect(paramsOf(installed.document, 'itTasks').table).toBe(bTable.id);
    const welcomeSubject = paramsOf(installed.document, 'welcome').subject;

    // B edits the Settings node in the editor (its company's name, its own director and calendar), saves with
    // Ctrl+S, publishes and runs it from its form.
    await selectNode(b, 'Settings');
    await setField(b, 'companyName', 'Bea Corp');
    await setField(b, 'hrDirectorEmail', directorEmail);
    await setField(b, 'calendar', calendarName);
    await b.screenshot({ path: `${shots}/marketplace-4c-edit.png` });
    await saveDraft(b);
    const saved = paramsOf((await read()).document, 'settings').fields as Record<string, unknown>;
    expect(saved).toMatchObject({ companyName: 'Bea Corp', hrDirectorEmail: directorEmail, calendar: calendarName });
    await b.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(b.getByText('Published version 1.')).toBeVisible();
    const formLink = b.getByTestId('form-bar').getByRole('link', { name: `/form/${installedId}` });
    const [form] = await Promise.all([b.context().waitForEvent('page'), formLink.click()]);
    await expect(form.locator('html[data-hydrated]')).toBeAttached();
    const hire: Array<[string, string]> = [
      ['First name', 'Ada'],
      ['Last name', 'Lovelace'],
      ['Personal email', `ada-${stamp}@home.test`],
      ['Work email', `ada-${stamp}@bea.test`],
      ['Role', 'Data analyst'],
      ['Department', 'Engineering'],
      ['Start date', '2027-01-04'],
      ['Annual salary', '72000'],
      ['Manager email', `grace-${stamp}@bea.test`],
    ];
    for (const [label, value] of hire) await form.getByLabel(new RegExp(`^${label}\\s*\\*?$`)).fill(value);
    await form.getByRole('button', { name: 'Submit' }).click();
    await expect(form.getByText('The offer letter goes to the HR director for approval.')).toBeVisible();
    await form.close();
    const settingsOutput = async () => {
      const { runs } = await api<{ runs: Array<{ runId: string }> }>(b, 'GET', `/api/runs?workflowId=${installedId}`);
      if (!runs[0]) return undefined;
      const { steps } = await api<{ steps: Array<{ nodeId: string; status: string; output?: unknown }> }>(
        b,
        'GET',
        `/api/runs/${runs[0].runId}/steps`,
      );
      const step = steps.find((s) => s.nodeId === 'settings' && s.status === 'succeeded');
      // The output's shape (items, a single object) is the node's business: B's value in it is what counts.
      return step ? JSON.stringify(step.output).includes('"companyName":"Bea Corp"') : undefined;
    };
    await expect.poll(settingsOutput, { timeout: 120_000 }).toBe(true);

    // B's director approves through the API; the run then succeeds, and IT's rows land in B's new table.
    const directorContext = await browser.newContext();
    try {
      const inbox = await directorContext.newPage();
      await signInAs(inbox, directorEmail, 'director-password-1');
      const pending = async () =>
        (
          await api<{ approvals: Array<{ id: string; nodeId: string }> }>(inbox, 'GET', '/api/approvals')
        ).approvals.find((r) => r.nodeId === 'approval')?.id;
      await expect.poll(pending, { timeout: 120_000 }).toBeTruthy();
      await api(inbox, 'POST', `/api/approvals/${await pending()}/decision`, {
        decision: 'approve',
        comment: 'Welcome',
      });
    } finally {
      await directorContext.close();
    }
    const runStatus = async () => {
      const { runs } = await api<{ runs: Array<{ runId: string; status: string }> }>(
        b,
        'GET',
        `/api/runs?workflowId=${installedId}`,
      );
      return runs[0]?.status;
    };
    await expect.poll(runStatus, { timeout: 180_000 }).toMatch(/^(succeeded|failed|cancelled|terminated|timed-out)$/);
    expect(await runStatus()).toBe('succeeded');
    const rows = await api<{ rows: Array<{ values: Record<string, unknown> }>; total: number }>(
      b,
      'GET',
      `/api/data-tables/${bTable.id}/rows`,
    );
    expect(rows.rows.map((r) => r.values.Item).sort()).toEqual(['Accounts', 'Badge', 'Laptop']);
    expect(rows.rows[0].values['Work email']).toBe(`ada-${stamp}@bea.test`);

    // B's list has nothing to offer yet.
    await b.goto('/');
    const bRow = b
      .getByRole('row')
      .filter({ has: b.getByRole('link', { name: `Our onboarding ${stamp}`, exact: true }) });
    await expect(bRow).toBeVisible();
    await expect(bRow.getByRole('link', { name: /Update available/ })).toHaveCount(0);

    // ---- A changes the welcome email's subject in its editor, publishes, and lists 1.1.0 with a changelog.
    await openEditor(page, source.id);
    await selectNode(page, 'Welcome email');
    await page
      .locator('[data-param="subject"]')
      .getByRole('textbox', { name: 'Subject' })
      .fill('Welcome aboard, {{ $trigger.firstName }}!');
    await saveDraft(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByText('Published version 2.')).toBeVisible();
    await page.getByRole('button', { name: 'Publish to marketplace' }).click();
    const release = page.getByRole('dialog', { name: 'Publish to marketplace' });
    await expect(release).toContainText(`A new version of ${title} (latest v1.0.0) from published version 2.`);
    await release.getByLabel('Version').fill('1.1.0');
    await release.getByLabel('Changelog').fill('A warmer welcome email.');
    await page.screenshot({ path: `${shots}/marketplace-5a-release.png` });
    await release.getByRole('button', { name: 'Publish v1.1.0' }).click();
    await expect(release.getByRole('status')).toContainText('as version 1.1.0');
    await release.getByRole('button', { name: 'Close' }).click();

    // ---- B: the list's badge, the notice, the review, the update.
    await b.reload();
    await expect(b.locator('html[data-hydrated]')).toBeAttached();
    const badge = bRow.getByRole('link', { name: 'Update available: v1.1.0' });
    await expect(badge).toBeVisible();
    await b.screenshot({ path: `${shots}/marketplace-5b-list-badge.png` });
    await badge.click();
    await b.waitForURL(new RegExp(`/workflows/${installedId}$`));
    await expect(b.locator('html[data-hydrated]')).toBeAttached();
    const notice = b.locator('.update-notice');
    await expect(notice).toContainText(`Version 1.1.0 of ${title} is available`);
    await b.screenshot({ path: `${shots}/marketplace-5-notice.png` });
    await notice.getByRole('button', { name: 'Review update' }).click();
    const review = b.getByRole('dialog');
    await expect(review.getByRole('heading', { name: 'Review the update' })).toBeVisible();
    await expect(review).toContainText('A warmer welcome email.');
    await expect(review.locator('[data-group="welcome"]')).toContainText('Update');
    await expect(review.locator('[data-group="settings"]')).toContainText('Yours');
    await b.screenshot({ path: `${shots}/marketplace-6-review.png`, fullPage: true });
    await review.getByRole('button', { name: 'Apply update' }).click();
    await expect(b.locator('.update-notice')).toContainText(`Updated to version 1.1.0 of ${title}`);
    const updated = (await read()).document;
    expect((paramsOf(updated, 'settings').fields as Record<string, unknown>).companyName).toBe('Bea Corp');
    expect(paramsOf(updated, 'welcome').subject).toBe('Welcome aboard, {{ $trigger.firstName }}!');
    expect(paramsOf(updated, 'welcome').credential).toBe(bCreds.smtp.id);
    expect(paramsOf(updated, 'teamCalendar').credential).toBe(bCreds.caldav.id);

    // The listing page says what this workspace has, and the list offers no update any more.
    await b.goto(`/marketplace/${listingId}`);
    await expect(b.getByText('Installed v1.1.0')).toBeVisible();
    await b.screenshot({ path: `${shots}/marketplace-7-installed.png` });
    await b.goto('/');
    await expect(bRow).toBeVisible();
    await expect(bRow.getByRole('link', { name: /Update available/ })).toHaveCount(0);

    // ---- B rolls back.
    await openEditor(b, installedId);
    await b.locator('.update-notice').getByRole('button', { name: 'Roll back to v1.0.0' }).click();
    await expect(b.locator('.update-notice')).toContainText('Version 1.1.0 of');
    const restored = (await read()).document;
    expect(paramsOf(restored, 'welcome').subject).toBe(welcomeSubject);
    expect((paramsOf(restored, 'settings').fields as Record<string, unknown>).companyName).toBe('Bea Corp');
    const status = await api<{ installedVersion: string; hasUpdate: boolean }>(
      b,
      'GET',
      `/api/workflows/${installedId}/marketplace`,
    );
    expect(status).toMatchObject({ installedVersion: '1.0.0', hasUpdate: true });
    // Back at 1.0.0, the list offers 1.1.0 again.
    await b.goto('/');
    await expect(bRow.getByRole('link', { name: 'Update available: v1.1.0' })).toBeVisible();
  } finally {
    await bContext.close();
  }
});
