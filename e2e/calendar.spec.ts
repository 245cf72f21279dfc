// Calendar nodes in real Chromium: a CalDAV credential is created and its "Test connection" lists the calendars of a
// real Radicale, the palette offers both calendar nodes, the Calendar event inspector shows the fields of the chosen
// operation, and a run writes the event that is then read back from Radicale.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import type { DAVCalendar } from 'tsdav';
import { caldavAccount, ensureRadicale, eventsIn, makeCalendar, type Radicale } from '../test/radicale';
import { property, readEvents, textOf } from '../nodes/calendar-event/ics-read';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

let radicale: Radicale;
let calendar: DAVCalendar & { displayName: string };

test.beforeAll(async () => {
  radicale = await ensureRadicale();
  calendar = await makeCalendar('Onboarding');
});

test.afterAll(async () => {
  await radicale?.stop();
});

test('a CalDAV credential, the calendar nodes in the editor, and a run that writes the event', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const name = `Team calendar ${randomUUID().slice(0, 8)}`;
  const account = caldavAccount();

  await page.goto('/credentials');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: /New credential|Add your first credential/ }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption({ label: 'CalDAV' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByLabel('Server URL').fill(account.serverUrl);
  await dialog.getByLabel('User name').fill(account.username);
  await dialog.getByLabel('Password').fill(account.password);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status')).toContainText(`Connection works: Logged in to`);
  await expect(dialog.getByRole('status')).toContainText(`"${calendar.displayName}"`);
  await page.screenshot({ path: testInfo.outputPath('caldav-credential.png') });
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('CalDAV');

  const id = await createWorkflow(page, 'First day in the team calendar', {
    nodes: [
      docNode('trigger', 'manual-trigger', 100, 200),
      docNode('first-day', 'calendar-event', 400, 200, {
        calendar: calendar.displayName,
        title: 'Welcome, Ada',
        start: '2026-10-05T09:00',
        end: '2026-10-05T10:00',
        timeZone: 'Europe/Berlin',
        attendees: 'ada@acme.test',
      }),
    ],
    edges: [docEdge('trigger', 'out', 'first-day')],
  });
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Add Calendar event' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add Calendar invite' })).toBeVisible();

  await nodeCard(page, 'first-day').click();
  const operation = page.getByLabel('Operation');
  await expect(operation).toHaveValue('create');
  await expect(page.getByLabel('Title', { exact: true })).toBeVisible();
  await operation.selectOption('list');
  await expect(page.getByLabel('From', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Title', { exact: true })).toHaveCount(0);
  await operation.selectOption('create');
  await page.getByLabel('CalDAV credential').selectOption({ label: name });
  await page.screenshot({ path: testInfo.outputPath('calendar-event-inspector.png'), fullPage: true });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('calendar-event-run.png') });

  const stored = await eventsIn(calendar);
  expect(stored).toHaveLength(1);
  const [event] = readEvents(stored[0].data);
  expect([textOf(event, 'SUMMARY'), property(event, 'DTSTART')?.value]).toEqual(['Welcome, Ada', '20261005T070000Z']);
});
