// The Browser node recorder in real Chromium, against the local test website (test/browser-site/server.ts): the
// person opens the login page in the recorder, clicks the fields in the streamed view and types, signs in, picks the
// greeting to extract, and adds the steps to the node; the password is not in them but in a Website login credential.
// Saved and run on the e2e worker, the workflow extracts the same greeting. A second recording picks a list (a
// row of the paginated table, on both its pages) and the run returns every row.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';
import { startBrowserSite, type BrowserSite } from '../test/browser-site/server';

test.describe.configure({ timeout: 300_000 });

let site: BrowserSite;
test.beforeAll(async () => {
  site = await startBrowserSite();
});
test.afterAll(async () => {
  await site.close();
});

/** The recorder's page is 1280×800 CSS pixels (the node's default viewport). */
const REMOTE = { width: 1280, height: 800 };
type Box = { x: number; y: number; width: number; height: number };

/** Where the elements the test clicks sit in the recorder's page: the same pages, laid out at its size here. */
async function remoteLayout(page: Page) {
  const probe = await page.context().newPage();
  await probe.setViewportSize(REMOTE);
  await probe.goto(`${site.url}/login`);
  const center = async (l: Locator) => {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const email = await center(probe.getByLabel('Email'));
  const password = await center(probe.getByLabel('Password'));
  const signInButton = await center(probe.getByRole('button', { name: 'Sign in' }));
  await probe.getByLabel('Email').fill('ada@example.com');
  await probe.getByLabel('Password').fill('analytical');
  await probe.getByRole('button', { name: 'Sign in' }).click();
  const greeting = await center(probe.getByRole('heading', { name: 'Welcome, Ada' }));
  await probe.close();
  return { email, password, signInButton, greeting };
}

/** A point of the remote page → the same point on the live view's image (scaled to fit, centred). */
function onView(image: Box, point: { x: number; y: number }) {
  const scale = Math.min(image.width / REMOTE.width, image.height / REMOTE.height);
  return {
    x: image.x + (image.width - REMOTE.width * scale) / 2 + point.x * scale,
    y: image.y + (image.height - REMOTE.height * scale) / 2 + point.y * scale,
  };
}

test('record a login and an extraction in the live view, save, run, and get the same data', async ({ page }) => {
  await signIn(page);
  const layout = await remoteLayout(page);
  const loginName = `Test site login ${Date.now()}`;
  await api(page, 'POST', '/api/credentials', {
    name: loginName,
    type: 'website-login',
    values: { username: 'ada@example.com', password: 'analytical' },
  });
  const workflowId = await createWorkflow(page, `Recorded sign-in ${Date.now()}`, {
    nodes: [docNode('Start', 'manual-trigger', 80, 200), docNode('Portal', 'browser', 380, 200)],
    edges: [docEdge('Start', 'out', 'Portal')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'Portal').click();

  const record = page.locator('[data-param="steps"]').getByRole('button', { name: 'Record' });
  await record.scrollIntoViewIfNeeded();
  await page.locator('[data-param="steps"]').screenshot({ path: 'test-results/browser-recorder-button.png' });
  await record.click();
  const dialog = page.getByRole('dialog', { name: 'Record browser steps' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Start from a page');
  await expect(dialog).toContainText('No steps yet.');
  await page.screenshot({ path: 'test-results/browser-recorder-empty.png' });

  // A refused address is an error in the dialog, and records nothing.
  await dialog.getByLabel('Page address').fill('http://169.254.169.254/latest/meta-data');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('cloud metadata');
  await expect(dialog).toContainText('No steps yet.');

  await dialog.getByLabel('Page address').fill(`${site.url}/login`);
  await page.keyboard.press('Enter');
  const steps = dialog.getByRole('list', { name: 'Recorded steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(1);
  await expect(dialog.locator('.recorder-page-title')).toHaveText('Sign in');
  const image = dialog.getByTestId('live-browser').getByRole('img');
  await expect(image).toBeVisible();

  // The person's own pointer and keyboard, on the streamed picture of the page (measured each time: the view
  // resizes when a banner appears under it).
  const clickOn = async (point: { x: number; y: number }) => {
    const target = onView((await image.boundingBox())!, point);
    await page.mouse.move(target.x, target.y);
    await page.mouse.click(target.x, target.y);
  };
  await clickOn(layout.email);
  await page.keyboard.type('ada@example.com');
  await clickOn(layout.password);
  await page.keyboard.type('analytical');
  await clickOn(layout.signInButton);
  await expect(dialog.locator('.recorder-page-title')).toHaveText('Welcome');
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText(`Go to${site.url}/login`);
  await expect(steps.nth(1)).toContainText('label="Email"');
  await expect(steps.nth(1)).toContainText('ada@example.com');
  await expect(steps.nth(2)).toContainText('label="Password"');
  await expect(steps.nth(2)).toContainText('$credential.password');
  await expect(steps.nth(3)).toContainText('role=button[name="Sign in"]');
  await expect(dialog).not.toContainText('analytical');
  await expect(dialog.getByRole('note')).toContainText('Pick a Website login credential');
  // Escape in the live view only gives the keyboard back; the recorder stays open.
  await expect(dialog.getByTestId('live-browser')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog.getByTestId('live-browser')).not.toBeFocused();
  await expect(page.getByRole('dialog', { name: 'Discard the recording?' })).toBeHidden();
  await expect(dialog).toBeVisible();

  // Pick mode: the click chooses the greeting instead of reaching the page.
  const pick = dialog.getByRole('button', { name: 'Pick element to extract' });
  await pick.click();
  await expect(pick).toHaveAttribute('aria-pressed', 'true');
  await clickOn(layout.greeting);
  await expect(steps).toHaveCount(5);
  await expect(steps.nth(4)).toContainText('Extract text');
  await expect(steps.nth(4)).toContainText('h1');
  await expect(steps.nth(4)).toContainText('“Welcome, Ada”');
  await expect(pick).toHaveAttribute('aria-pressed', 'false');
  await dialog.getByLabel('Store step 5 as').fill('greeting');
  await page.screenshot({ path: 'test-results/browser-recorder-recorded.png' });

  // Escape asks before throwing the steps away; keeping them goes back to the recording.
  await page.keyboard.press('Escape');
  const discard = page.getByRole('dialog', { name: 'Discard the recording?' });
  await expect(discard).toBeVisible();
  await discard.getByRole('button', { name: 'Keep recording' }).click();
  await expect(discard).toBeHidden();
  await expect(steps).toHaveCount(5);

  await dialog.getByRole('button', { name: 'Stop and add 5 steps' }).click();
  await expect(dialog).toBeHidden();
  const rows = page.locator('[data-param="steps"] .list-row');
  await expect(rows).toHaveCount(5);
  await expect(page.getByLabel(/^(Target|URL or locator), step 3$/)).toHaveValue('label="Password"');
  await expect(page.getByLabel('Value, step 3')).toHaveValue('$credential.password');
  await expect(page.getByLabel('Store as, step 5')).toHaveValue('greeting');
  // The Credential field is empty: it is brought to the person's attention.
  await expect(page.locator('[data-param="credential"]')).toHaveClass(/needs-attention/);
  await page.getByLabel('Credential', { exact: true }).selectOption({ label: loginName });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await page.screenshot({ path: 'test-results/browser-recorder-inspector.png' });
  // Drawing attention to the field scrolled the inspector only: the editor's top bar is still in view.
  await expect(page.getByTestId('save-status')).toBeInViewport();

  const runId = await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const { steps: records } = await api<{
    steps: Array<{ nodeId: string; output?: { data?: Record<string, unknown> } }>;
  }>(page, 'GET', `/api/runs/${runId}/steps`);
  expect(records.find((s) => s.nodeId === 'Portal')?.output?.data).toEqual({ greeting: 'Welcome, Ada' });
});

test('pick a list on both pages of a table, add the steps, run, and get every row', async ({ page }) => {
  await signIn(page);
  // Where the first body row and the Next link sit in the recorder's page.
  const probe = await page.context().newPage();
  await probe.setViewportSize(REMOTE);
  await probe.goto(`${site.url}/people`);
  const centerOf = async (l: Locator) => {
    const b = (await l.boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const firstRow = await centerOf(probe.getByRole('cell', { name: 'Ada Lovelace' }));
  const next = await centerOf(probe.getByRole('link', { name: 'Next' }));
  await probe.close();

  const workflowId = await createWorkflow(page, `Recorded list ${Date.now()}`, {
    nodes: [docNode('Start', 'manual-trigger', 80, 200), docNode('People', 'browser', 380, 200)],
    edges: [docEdge('Start', 'out', 'People')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'People').click();
  await page.locator('[data-param="steps"]').getByRole('button', { name: 'Record' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record browser steps' });
  await dialog.getByLabel('Page address').fill(`${site.url}/people`);
  await page.keyboard.press('Enter');
  const steps = dialog.getByRole('list', { name: 'Recorded steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(1);
  await expect(dialog.locator('.recorder-page-title')).toHaveText('People 1');
  const image = dialog.getByTestId('live-browser').getByRole('img');
  const clickOn = async (point: { x: number; y: number }) => {
    const target = onView((await image.boundingBox())!, point);
    await page.mouse.click(target.x, target.y);
  };

  const pickList = dialog.getByRole('button', { name: 'Pick list to extract' });
  await pickList.click();
  await expect(pickList).toHaveAttribute('aria-pressed', 'true');
  await expect(dialog.locator('.recorder-phase')).toHaveText('Picking a list');
  await clickOn(firstRow);
  await expect(steps).toHaveCount(2);
  await expect(pickList).toHaveAttribute('aria-pressed', 'false');
  await expect(steps.nth(1)).toContainText('Extract list');
  await expect(steps.nth(1)).toContainText('tbody >> :scope > tr');
  await expect(steps.nth(1)).toContainText('2 items on this page');
  await expect(steps.nth(1).locator('dl')).toContainText('nameAda Lovelace');
  await expect(steps.nth(1).locator('dl')).toContainText('born1815');
  await page.screenshot({ path: 'test-results/browser-recorder-list.png' });

  await clickOn(next);
  await expect(dialog.locator('.recorder-page-title')).toHaveText('People 2');
  await pickList.click();
  await clickOn(firstRow);
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(2)).toContainText('role=link[name="Next"]');
  await expect(steps.nth(3)).toContainText('nameAlan Turing');
  await dialog.getByLabel('Store step 4 as').fill('secondPage');
  await dialog.getByRole('button', { name: 'Stop and add 4 steps' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Value, step 2')).toHaveValue(/"name":":scope > td:nth-of-type\(1\)"/);
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  const runId = await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const { steps: records } = await api<{
    steps: Array<{ nodeId: string; output?: { data?: Record<string, unknown> } }>;
  }>(page, 'GET', `/api/runs/${runId}/steps`);
  expect(records.find((s) => s.nodeId === 'People')?.output?.data).toEqual({
    items: [
      { name: 'Ada Lovelace', team: 'Engineering', born: '1815' },
      { name: 'Grace Hopper', team: 'Navy', born: '1906' },
    ],
    secondPage: [
      { name: 'Alan Turing', team: 'Mathematics', born: '1912' },
      { name: 'Katherine Johnson', team: 'NASA', born: '1918' },
    ],
  });
});
