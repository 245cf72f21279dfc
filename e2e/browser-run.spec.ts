// The Browser node's filmstrip on the run page in real Chromium, against the local test website
// (test/browser-site/server.ts) driven by the e2e worker's `browser` queue: a run with a screenshot after every step
// shows a card per step with its screenshot loaded, opens them large (arrow keys move, Escape closes); a run whose
// selector never appears shows the failed card with its error and failure screenshot, and its trace downloads as a zip.
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

/** Starts a run of a manual trigger followed by a Browser node named "Portal", and waits until it ends as `status`. */
async function runBrowser(
  page: Page,
  params: Record<string, unknown>,
  status: string,
): Promise<{ runId: string; workflowId: string }> {
  const workflowId = await createWorkflow(page, `Browser filmstrip ${Date.now()}`, {
    nodes: [docNode('Start', 'manual-trigger', 80, 200), docNode('Portal', 'browser', 380, 200, params)],
    edges: [docEdge('Start', 'out', 'Portal')],
  });
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, input: {} });
  const ended = async () => {
    const { run } = await api<{ run: { status: string; error?: { message: string } } }>(
      page,
      'GET',
      `/api/runs/${runId}`,
    );
    return ['queued', 'running'].includes(run.status) ? undefined : run;
  };
  await expect.poll(ended, { timeout: 120_000 }).toBeDefined();
  // The status with the run's error, so an unexpected failure says why.
  expect(await ended()).toMatchObject({ status });
  return { runId, workflowId };
}

/** Opens the run page and selects the Browser node; returns its filmstrip. */
async function openFilmstrip(page: Page, runId: string): Promise<Locator> {
  await page.goto(`/runs/${runId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'Portal').click();
  const strip = page.getByRole('region', { name: 'Node detail' }).getByTestId('browser-filmstrip');
  await expect(strip).toBeVisible();
  return strip;
}

/** The image's decoded width once it is in view (thumbnails load lazily). */
async function loadedWidth(image: Locator): Promise<number> {
  await image.scrollIntoViewIfNeeded();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeTruthy();
  return image.evaluate((img: HTMLImageElement) => img.naturalWidth);
}

test('a run with a screenshot after every step shows each step as a card with its screenshot', async ({ page }) => {
  await signIn(page);
  const { runId, workflowId } = await runBrowser(
    page,
    {
      screenshots: 'every',
      steps: [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'extractText', target: 'css=#people tbody tr:first-child td:first-child', name: 'firstPerson' },
        { action: 'click', target: 'text=Next' },
      ],
    },
    'succeeded',
  );
  const strip = await openFilmstrip(page, runId);
  const cards = strip.getByTestId('film-card');
  await expect(cards).toHaveCount(3);
  await expect(strip).toContainText('3 steps · 3 screenshots');
  await expect(cards.nth(0)).toContainText('goto');
  await expect(cards.nth(0)).toContainText(`${site.url}/people`);
  await expect(cards.nth(1)).toContainText('Extracted: firstPerson');
  await expect(cards.nth(2)).toContainText(`${site.url}/people?page=2`);
  for (let i = 0; i < 3; i++) {
    await expect(cards.nth(i).locator('.badge', { hasText: 'OK' })).toBeVisible();
    expect(await loadedWidth(cards.nth(i).getByRole('img'))).toBeGreaterThan(0);
  }
  // A succeeded run keeps no trace.
  await expect(strip.getByRole('link', { name: 'Download trace' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/browser-run-filmstrip.png', fullPage: true });

  // Large view: the arrow keys move between steps and stop at the last one; Escape closes.
  await cards.nth(0).getByRole('button', { name: 'Open the screenshot of step 1' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Step 1 · goto');
  expect(await loadedWidth(dialog.getByRole('img'))).toBe(1280);
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('heading')).toHaveText('Step 2 · extractText');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(dialog.getByRole('heading')).toHaveText('Step 3 · click');
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.getByRole('heading')).toHaveText('Step 2 · extractText');
  await page.screenshot({ path: 'test-results/browser-run-dialog.png' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The editor's run panel shows the same strip for a run started there.
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await nodeCard(page, 'Portal').click();
  const panelStrip = runPanel(page).detail.getByTestId('browser-filmstrip');
  await expect(panelStrip.getByTestId('film-card')).toHaveCount(3);
  expect(await loadedWidth(panelStrip.getByTestId('film-card').nth(2).getByRole('img'))).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/browser-run-editor-panel.png' });
});

test('a 100-step run, too large to send whole, still shows every card, thumbnails loading lazily', async ({ page }) => {
  await signIn(page);
  const extract = { action: 'extractText', target: 'css=#people thead th:first-child', name: 'heading' };
  const { runId } = await runBrowser(
    page,
    { screenshots: 'every', steps: [{ action: 'goto', target: `${site.url}/people` }, ...Array(99).fill(extract)] },
    'succeeded',
  );
  // The output is over the 16 KB the steps API sends whole: the filmstrip downloads it.
  const { steps } = await api<{ steps: Array<{ nodeId: string; output?: unknown; outputPreview?: unknown }> }>(
    page,
    'GET',
    `/api/runs/${runId}/steps`,
  );
  const portal = steps.find((s) => s.nodeId === 'Portal')!;
  expect(portal.output).toBeUndefined();
  expect(portal.outputPreview).toBeDefined();

  const strip = await openFilmstrip(page, runId);
  const cards = strip.getByTestId('film-card');
  await expect(cards).toHaveCount(100);
  await expect(strip).toContainText('100 steps · 100 screenshots');
  await expect(strip.locator('img:not([loading="lazy"])')).toHaveCount(0);
  expect(await loadedWidth(cards.nth(99).getByRole('img'))).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/browser-run-100-steps.png', fullPage: true });

  // From the last card, the dialog's ← walks back.
  await cards.nth(99).getByRole('button', { name: 'Open the screenshot of step 100' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Step 100 · extractText');
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.getByRole('heading')).toHaveText('Step 99 · extractText');
  await expect(dialog).toContainText('99 of 100');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a failed run shows the failed step with its error and screenshot, and its trace downloads', async ({ page }) => {
  await signIn(page);
  const { runId } = await runBrowser(
    page,
    {
      stepTimeoutMs: 2_000,
      steps: [
        { action: 'goto', target: `${site.url}/people` },
        { action: 'click', target: 'text=Never there' },
      ],
    },
    'failed',
  );
  const strip = await openFilmstrip(page, runId);
  const cards = strip.getByTestId('film-card');
  await expect(cards).toHaveCount(2);
  // Screenshots on failure only: the step that passed has none, the failed one has its failure screenshot.
  await expect(cards.nth(0)).toContainText('No screenshot');
  const failed = cards.nth(1);
  await expect(failed).toHaveClass(/failed/);
  await expect(failed.locator('.badge', { hasText: 'Failed' })).toBeVisible();
  await expect(failed.getByTestId('film-error')).toContainText('Step 2 (click text=Never there)');
  await expect(failed.getByTestId('film-error')).toHaveCSS('color', 'rgb(217, 45, 32)');
  expect(await loadedWidth(failed.getByRole('img'))).toBeGreaterThan(0);
  await expect(strip).toContainText('trace.playwright.dev');
  await page.screenshot({ path: 'test-results/browser-run-failed.png', fullPage: true });

  const link = strip.getByRole('link', { name: 'Download trace' });
  const href = await link.getAttribute('href');
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/zip');
  expect((await response.body()).subarray(0, 2).toString('latin1')).toBe('PK');
  const download = page.waitForEvent('download');
  await link.click();
  expect((await download).suggestedFilename()).toBe('trace.zip');
});
