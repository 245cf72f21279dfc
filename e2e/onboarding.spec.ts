// Issue 10's "done means" in real Chromium: a newcomer finds HR onboarding in the gallery, uses it (settings, three
// credentials made inline: Mailpit's SMTP, the BambooHR replay, Radicale's CalDAV; the IT table), publishes it, and
// submits the new-hire form from the form bar; the HR director approves in their inbox; the run page shows every
// node succeeded (the rejection branch skipped) and previews the offer letter PDF, which the welcome mail carries.
// The director is a second member: the template's approval bars whoever published or started the run.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import type { DAVCalendar } from 'tsdav';
import { createUser } from '../db/users';
import { addMember } from '../db/workspaces';
import { pdfText } from '../nodes/documents/testing';
import { attachmentContent, waitForMessage } from '../test/mailbox';
import { caldavAccount, ensureRadicale, eventsIn, makeCalendar, type Radicale } from '../test/radicale';
import { api } from './api';
import { connectE2eDatabase } from './db';
import { signIn } from './session';

const DIRECTOR_PASSWORD = 'director-password-1';

let radicale: Radicale;
let calendar: DAVCalendar & { displayName: string };

test.beforeAll(async () => {
  await connectE2eDatabase();
  radicale = await ensureRadicale();
  calendar = await makeCalendar('Onboarding');
});

test.afterAll(async () => {
  await mongoose.disconnect();
  await radicale?.stop();
});

test.describe.configure({ timeout: 300_000 });
test.use({ actionTimeout: 60_000 });

/** The BambooHR replay e2e/global-setup.ts started for web and worker. */
function bambooReplay(): { url: string; company: string; apiKey: string } {
  const raw = process.env.BATON_E2E_BAMBOOHR;
  if (!raw) throw new Error('BATON_E2E_BAMBOOHR is not set: run the specs through e2e/global-setup.ts.');
  return JSON.parse(raw);
}

/** The employee as the BambooHR replay stores it, read through its documented Get Employee call. */
async function bambooEmployee(id: string): Promise<Record<string, unknown>> {
  const { url, company, apiKey } = bambooReplay();
  const res = await fetch(
    `${url}/api/gateway.php/${company}/v1/employees/${id}?fields=firstName,lastName,workEmail,jobTitle,hireDate`,
    { headers: { Accept: 'application/json', Authorization: `Basic ${btoa(`${apiKey}:x`)}` } },
  );
  if (res.status !== 200) throw new Error(`BambooHR replay: GET employee ${id} answered ${res.status}.`);
  return (await res.json()) as Record<string, unknown>;
}

/** A member of the signed-in owner's workspace who may approve. */
async function addDirector(page: Page, email: string): Promise<void> {
  const { workspaces } = await api<{ workspaces: Array<{ id: string; current: boolean }> }>(
    page,
    'GET',
    '/api/workspaces',
  );
  const user = await createUser({ email, name: `HR director ${email.split('@')[0]}`, password: DIRECTOR_PASSWORD });
  await addMember(workspaces.find((w) => w.current)!.id, user.id, 'approver');
}

/** A form field's label as written, with or without the required mark. */
const fieldLabel = (label: string) => new RegExp(`^${label.replace(/[()]/g, '\\$&')}\\s*\\*?$`);

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

test('a newcomer onboards a hire from the HR onboarding template, approved in the inbox, every node green', async ({
  page,
  browser,
}) => {
  const shot = (p: Page, name: string) => p.screenshot({ path: `test-results/onboarding-${name}.png`, fullPage: true });
  const stamp = randomUUID().slice(0, 8);
  const director = `director-${stamp}@acme.test`;
  const hire = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    personalEmail: `ada-${stamp}@home.test`,
    workEmail: `ada.lovelace-${stamp}@acme.test`,
    role: 'Data analyst',
    department: 'Engineering',
    startDate: '2027-01-04',
    salary: '72000',
    managerEmail: `grace-${stamp}@acme.test`,
  };
  const fullName = `${hire.firstName} ${hire.lastName}`;
  await signIn(page);
  await addDirector(page, director);

  // The gallery: search, open HR onboarding, use it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
  await expect(page.getByRole('heading', { name: 'Templates', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('searchbox', { name: 'Search templates' }).fill('onboarding');
  const card = page.getByRole('list', { name: 'Templates' }).getByRole('listitem').filter({ hasText: 'HR onboarding' });
  await expect(card).toBeVisible();
  await shot(page, 'gallery');
  await card.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'HR onboarding', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Use template' }).click();

  // Settings.
  const wizard = page.getByRole('region', { name: 'Use “HR onboarding”' });
  await expect(wizard.getByRole('heading', { name: /Settings/ })).toBeVisible();
  await wizard.getByLabel(/Company name/).fill('Acme Analytics');
  await wizard.getByLabel(/HR director email/).fill(director);
  await wizard.getByLabel(/HR team email/).fill(`hr-${stamp}@acme.test`);
  await wizard.getByLabel(/IT email/).fill(`it-${stamp}@acme.test`);
  await wizard.getByLabel(/Office time zone/).fill('Europe/Berlin');
  await wizard.getByLabel(/^Team calendar/).fill(calendar.displayName);
  await shot(page, 'wizard-settings');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Credentials, each made inline.
  await expect(wizard.getByRole('heading', { name: /Credentials/ })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  const newCredential = async (type: string, name: string, fields: Record<string, string>) => {
    await wizard.getByRole('button', { name: `New ${type}…` }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(fieldLabel(label)).fill(value);
    await shot(page, `credential-${type.toLowerCase()}`);
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    await expect(dialog).toBeHidden();
  };
  await newCredential('SMTP', `Acme mail ${stamp}`, {
    Host: '127.0.0.1',
    Port: new URL(process.env.BATON_SMTP_URL ?? 'smtp://127.0.0.1:1025').port,
    From: 'Acme HR <hr-robot@acme.test>',
  });
  const bamboo = bambooReplay();
  await newCredential('BambooHR', `Acme BambooHR ${stamp}`, {
    'Company domain': bamboo.company,
    'API key': bamboo.apiKey,
  });
  const account = caldavAccount();
  await newCredential('CalDAV', `Team calendar ${stamp}`, {
    'Server URL': account.serverUrl,
    'User name': account.username,
    Password: account.password,
  });
  for (const [label, name] of [
    [/^Mail server/, `Acme mail ${stamp}`],
    [/^BambooHR/, `Acme BambooHR ${stamp}`],
    [/^Team calendar \(CalDAV\)/, `Team calendar ${stamp}`],
  ] as const)
    await expect(wizard.getByLabel(label).locator('option:checked')).toHaveText(name);
  await shot(page, 'wizard-credentials');
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Tables, then create.
  await expect(wizard.getByRole('heading', { name: /Data tables/ })).toBeVisible();
  await wizard.getByLabel(/Name of the new table/).fill(`IT equipment ${stamp}`);
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('heading', { name: /Create/ })).toBeVisible();
  await wizard.getByLabel('Workflow name').fill(`Onboarding ${stamp}`);
  await shot(page, 'wizard-create');
  await wizard.getByRole('button', { name: 'Create workflow' }).click();

  // The editor: publish, then open the form from the form bar.
  await page.waitForURL(/\/workflows\/[a-f0-9]{24}$/);
  const workflowId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Published version 1.')).toBeVisible();
  const formLink = page.getByTestId('form-bar').getByRole('link', { name: `/form/${workflowId}` });
  await expect(formLink).toBeVisible();
  await shot(page, 'editor-published');
  // The link opens the form in a new tab, as a colleague's bookmark would.
  const [form] = await Promise.all([page.context().waitForEvent('page'), formLink.click()]);

  // The new-hire form, as a member of the workspace.
  await expect(form.getByRole('heading', { name: 'New hire' })).toBeVisible();
  await expect(form.locator('html[data-hydrated]')).toBeAttached();
  const labels: Record<keyof typeof hire, string> = {
    firstName: 'First name',
    lastName: 'Last name',
    personalEmail: 'Personal email',
    workEmail: 'Work email',
    role: 'Role',
    department: 'Department',
    startDate: 'Start date',
    salary: 'Annual salary',
    managerEmail: 'Manager email',
  };
  for (const [key, label] of Object.entries(labels))
    await form.getByLabel(fieldLabel(label)).fill(hire[key as keyof typeof hire]);
  await shot(form, 'form');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(form.getByText('The offer letter goes to the HR director for approval.')).toBeVisible();
  await shot(form, 'form-sent');
  await form.close();

  // The director approves in their inbox.
  const title = `Approve the offer for ${fullName}`;
  const directorContext = await browser.newContext();
  try {
    const inbox = await directorContext.newPage();
    await signInAs(inbox, director, DIRECTOR_PASSWORD);
    await inbox.goto('/inbox');
    await expect(inbox.locator('html[data-hydrated]')).toBeAttached();
    const request = inbox.locator('article.approval-card').filter({ hasText: title });
    await expect(request).toBeVisible({ timeout: 60_000 });
    await expect(request).toContainText('72,000 EUR');
    await shot(inbox, 'inbox');
    await request.getByLabel('Comment').fill('Welcome aboard');
    await request.getByRole('button', { name: /^Approve/ }).click();
    const confirm = inbox.getByRole('dialog', { name: `Approve “${title}”?` });
    await expect(confirm.getByLabel('Comment')).toHaveValue('Welcome aboard');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await expect(inbox.getByRole('status').filter({ hasText: `Approved “${title}”` })).toBeVisible();
    await shot(inbox, 'inbox-approved');
  } finally {
    await directorContext.close();
  }

  // The run page, reached from the Runs list: every node succeeded but the rejection branch.
  await page.goto('/runs');
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const { runs } = await api<{ runs: Array<{ runId: string }> }>(page, 'GET', `/api/runs?workflowId=${workflowId}`);
  expect(runs).toHaveLength(1);
  const runId = runs[0].runId;
  await page.locator(`a[href$="/runs/${runId}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.locator('.run-page h1 [data-status]').first()).toHaveAttribute('data-status', 'succeeded', {
    timeout: 120_000,
  });
  const nodes = page.locator('[data-testid="workflow-node"]');
  await expect(nodes).toHaveCount(13);
  const statuses = async () =>
    Object.fromEntries(
      await nodes.evaluateAll((els) => els.map((el) => [el.dataset.nodeName, el.dataset.status] as const)),
    );
  const want: Record<string, string> = Object.fromEntries(
    [
      'New-hire form',
      'Settings',
      'Offer letter text',
      'Offer letter (DOCX)',
      'Offer letter (PDF)',
      'Director approval',
      'Create employee in BambooHR',
      'Welcome email',
      'Team calendar: first day',
      'First-day invite',
      'IT equipment tasks',
      'Manager summary',
    ].map((name) => [name, 'succeeded']),
  );
  await expect.poll(statuses).toEqual({ ...want, 'Offer on hold': 'skipped' });
  // The timeline agrees, row by row: each node's last attempt ran (or waited) to success.
  const timeline = page.getByRole('region', { name: 'Timeline' });
  for (const name of Object.keys(want))
    await expect(
      timeline.locator(`[data-node-name="${name}"]`).locator('[data-bar="run"], [data-bar="wait"]').last(),
    ).toHaveAttribute('title', /\(succeeded\)$/);
  await shot(page, 'run');

  // The offer letter: previewed inline, served as a PDF with the hire's name in it.
  await timeline.locator('[data-node-name="Offer letter (PDF)"]').click();
  const detail = page.getByRole('region', { name: 'Node detail' });
  const fileName = `Offer letter - ${fullName}.pdf`;
  const pdfCard = detail.getByRole('figure', { name: `File ${fileName}` });
  await expect(pdfCard.getByTestId('file-card-meta')).toHaveText(/^PDF · \d+(\.\d+)? (B|KB)$/);
  const preview = pdfCard.locator('iframe');
  await expect(preview).toBeVisible();
  // Chromium's PDF viewer opened inside the preview frame (a frame the file route refused would hold an error page).
  const viewerInPreview = () =>
    page
      .frames()
      .some((f) => f.url().startsWith('chrome-extension://') && f.parentFrame()?.url().includes('/api/files/'));
  await expect.poll(viewerInPreview).toBe(true);
  await shot(page, 'run-offer-pdf');
  const served = await page.request.get(new URL((await preview.getAttribute('src'))!, page.url()).href);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toMatch(/^application\/pdf/);
  const bytes = await served.body();
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(pdfText(bytes).replace(/\n/g, ' ')).toContain(fullName);

  // What landed elsewhere: the welcome mail with the PDF, the employee in BambooHR, the first day in the calendar.
  const welcome = await waitForMessage(hire.personalEmail, { subject: 'Welcome to Acme Analytics', timeoutMs: 30_000 });
  const attached = welcome.Attachments.find((a) => a.FileName === fileName);
  expect(attached?.ContentType).toBe('application/pdf');
  const mailed = await attachmentContent(welcome.ID, attached!.PartID);
  expect(pdfText(mailed).replace(/\n/g, ' ')).toContain(fullName);
  const { steps } = await api<{ steps: Array<{ nodeId: string; output?: { id?: string } }> }>(
    page,
    'GET',
    `/api/runs/${runId}/steps`,
  );
  const employeeId = String(steps.find((s) => s.nodeId === 'bamboo')?.output?.id);
  expect(await bambooEmployee(employeeId)).toMatchObject({
    firstName: hire.firstName,
    lastName: hire.lastName,
    workEmail: hire.workEmail,
    jobTitle: hire.role,
  });
  const events = await eventsIn(calendar);
  expect(events.map((e) => e.data).join('\n')).toContain(`First day: ${fullName} (${hire.role})`);
});
