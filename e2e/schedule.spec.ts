// The Schedule trigger in real Chromium (issue 7, docs/decisions/033-schedule-trigger.md): drawn and published, the
// schedule bar shows its next fire times; it pauses and resumes from the workflow page; "Run now" starts a run that
// the runs list shows; a backfill over a past range runs each missed fire time with that time as its payload.
// Unpublishing at the end deletes the Temporal Schedule. The browser's clock reads UTC, like the schedule's zone.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { api } from './api';
import { connect, dragFromPalette, nodeCard, runPanel, settledCenter } from './canvas-helpers';

test.use({ timezoneId: 'UTC' });

const DAY_MS = 86_400_000;
let workflowId: string | undefined;

// A schedule left behind would keep firing into a queue nobody serves.
test.afterEach(async ({ page }) => {
  if (!workflowId) return;
  await api(page, 'POST', `/api/workflows/${workflowId}/unpublish`).catch(() => undefined);
});

/** The daily fire times of `hour`:00 UTC in (from, to]. */
function dailySlots(hour: number, from: number, to: number): string[] {
  const slots: string[] = [];
  const first = new Date(from);
  first.setUTCHours(hour, 0, 0, 0);
  for (let t = first.getTime(); t <= to; t += DAY_MS) if (t > from) slots.push(new Date(t).toISOString());
  return slots;
}

const runLinks = (page: Page) => page.locator('.runs-table tbody tr').filter({ hasText: 'Schedule' });
const runHref = (id: string, runId: string) => `/workflows/${id}?run=${encodeURIComponent(runId)}`;
const scheduledRunId = (id: string, slot: string) => `run_sched_${id}-${slot.replace(/\.\d{3}Z$/, 'Z')}`;

test('a Schedule trigger: next times, pause and resume, run now, backfill', async ({ page }) => {
  test.setTimeout(480_000);
  // Daily, twelve hours away from now: it never fires by itself while the test runs.
  const hour = (new Date().getUTCHours() + 12) % 24;
  await signIn(page);
  await newWorkflow(page);
  workflowId = page.url().split('/').pop()!;
  await page.getByLabel('Workflow name').fill('Nightly digest');
  await page.keyboard.press('Enter');

  await dragFromPalette(page, 'Schedule', 300, 400);
  const at = await settledCenter(page, 'Schedule');
  await dragFromPalette(page, 'Set fields', at.x + 300, at.y);
  await connect(page, 'Schedule', 'out', 'Set fields');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  await nodeCard(page, 'Set fields').click();
  await page.getByRole('button', { name: /Add a field/ }).click();
  await page.getByLabel('Fields name 1').fill('slot');
  await page.getByLabel('Fields value 1').fill('{{ $input.scheduledAt }}');
  await nodeCard(page, 'Schedule').click();
  await page.getByLabel('Cron expression').fill(`0 0 ${hour} * * *`);

  // Saved, not published: the bar previews what publishing would give.
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  const bar = page.getByRole('region', { name: 'Schedule' });
  await expect(bar).toContainText('Not published');
  await expect(bar).toContainText(`Cron 0 0 ${hour} * * * (UTC)`);
  const wouldFire = bar.getByLabel('Fire times after publishing').locator('time');
  await expect(wouldFire.first()).toBeVisible();

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Published version 1' })).toContainText(
    'Its schedule now runs this version',
  );
  await expect(bar.getByText('Live · v1')).toBeVisible();
  const next = bar.getByLabel('Next fire times').locator('time');
  await expect(next).toHaveCount(5);
  const now = Date.now();
  const expected = dailySlots(hour, now, now + 5 * DAY_MS + 1).slice(0, 5);
  expect(await next.evaluateAll((times) => times.map((t) => t.getAttribute('datetime')))).toEqual(expected);
  await page.screenshot({ path: 'test-results/flow-e2e-schedule-live.png' });

  // Pause and resume from the workflow page.
  const actions = bar.getByRole('group', { name: 'Schedule actions' });
  await actions.getByRole('button', { name: 'Pause' }).click();
  await expect(bar.getByText('Paused', { exact: true })).toBeVisible();
  await expect(bar).toContainText('No runs until resumed');
  await expect(next).toHaveCount(0);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(bar.getByText('Paused', { exact: true })).toBeVisible();
  await actions.getByRole('button', { name: 'Resume' }).click();
  await expect(bar.getByText('Live · v1')).toBeVisible();
  await expect(next).toHaveCount(5);

  // Run now: a run of the published version, started by the schedule.
  await actions.getByRole('button', { name: 'Run now' }).click();
  await expect(bar.getByRole('status')).toHaveText('Run started; it shows under Last in a moment.');
  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(runLinks(page)).toHaveCount(1, { timeout: 1_000 });
    await expect(runLinks(page).locator('[data-status]').first()).toHaveAttribute('data-status', 'succeeded', {
      timeout: 1_000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(runLinks(page).first()).toContainText('v1');
  await page.screenshot({ path: 'test-results/flow-e2e-schedule-runs-after-run-now.png' });

  // Backfill the last three days: one run per missed fire time, each with its slot as the payload.
  await page.getByRole('link', { name: 'Open editor' }).click();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const from = Date.now() - 3 * DAY_MS;
  const to = Date.now() - 60_000;
  const slots = dailySlots(hour, from, to);
  expect(slots).toHaveLength(3);
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  await actions.getByRole('button', { name: 'Backfill…' }).click();
  await bar.getByLabel('From').fill(local(from));
  await bar.getByLabel('To').fill(local(to));
  await bar.getByRole('button', { name: 'Run missed fire times' }).click();
  await expect(bar.getByRole('status')).toHaveText('Backfill started: 3 runs, one after another.');
  // The same range again holds slots that have runs now: refused, with the reason.
  await actions.getByRole('button', { name: 'Backfill…' }).click();
  await bar.getByLabel('From').fill(local(from));
  await bar.getByLabel('To').fill(local(to));
  await bar.getByRole('button', { name: 'Run missed fire times' }).click();
  await expect(bar.getByRole('alert')).toBeVisible();
  await page.screenshot({ path: 'test-results/flow-e2e-schedule-backfill-refused.png' });

  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(runLinks(page)).toHaveCount(4, { timeout: 1_000 });
    await expect(runLinks(page).locator('[data-status="succeeded"]')).toHaveCount(4, { timeout: 1_000 });
  }).toPass({ timeout: 120_000 });
  for (const slot of slots) {
    await expect(page.locator(`a[href="${runHref(workflowId, scheduledRunId(workflowId, slot))}"]`)).toHaveCount(1);
  }

  // A backfilled run got its slot as the trigger payload.
  await page.locator(`a[href="${runHref(workflowId, scheduledRunId(workflowId, slots[0]))}"]`).click();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const { status, detail } = runPanel(page);
  await expect(status).toHaveAttribute('data-status', 'succeeded');
  await nodeCard(page, 'Set fields').click();
  await expect(detail.getByTestId('json-output')).toContainText(`"slot": "${slots[0]}"`);
  await page.screenshot({ path: 'test-results/flow-e2e-schedule-backfilled-run.png' });

  // The bar's chips name their day: last Friday's run and next Friday's fire time do not read alike.
  const last = bar.getByLabel('Recent runs').locator('time');
  await expect(last).toHaveCount(3, { timeout: 30_000 });
  const chips = [...(await next.allInnerTexts()), ...(await last.allInnerTexts())];
  expect(new Set(chips).size).toBe(chips.length);
  expect(await last.first().getAttribute('datetime')).toBe(slots[slots.length - 1]);

  // Unpublishing deletes the schedule; the bar says so.
  await page.getByRole('link', { name: 'Back to editor' }).click();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await bar.getByRole('button', { name: 'Unpublish' }).click();
  await page
    .getByRole('dialog', { name: 'Unpublish this workflow?' })
    .getByRole('button', { name: 'Unpublish' })
    .click();
  await expect(bar.getByRole('status')).toContainText('Version 1 unpublished: the schedule is deleted');
  await expect(bar).toContainText('Not published');
  workflowId = undefined;
});
