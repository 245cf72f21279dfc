// Human takeover of a Browser step in real Chromium (docs/decisions/059), through the e2e worker's `browser` queue:
// a step waits for an element that appears only after a person clicks a button, so the run opens a task, listed in
// the owner's inbox and linked from the run page. The task page shows the live browser; a click in it reaches the
// worker's page, "Done, continue" lets the run go on, and the run extracts what the click revealed. The run page's
// banner is live: it appears when a task opens and goes when it closes, without a reload.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

// "Passed" (and #passed in the URL) only after a click on the big button at 20–220 × 20–80 page pixels.
const GATE = `<!doctype html><title>Gate</title>
<button id="human" style="position:absolute;left:20px;top:20px;width:200px;height:60px"
  onclick="Object.assign(document.getElementById('secret'), { hidden: false, textContent: 'Passed' }); location.hash = 'passed'"
  >I am human</button>
<p id="secret" hidden style="position:absolute;top:120px"></p>`;

let gate: Server;
let gateUrl = '';
test.beforeAll(async () => {
  gate = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(GATE));
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/gate`;
});
test.afterAll(async () => {
  await new Promise((resolve) => gate.close(resolve));
});

test('a person finishes a failed browser step from the inbox and the run goes on', async ({ page }) => {
  await signIn(page);
  const workflowId = await createWorkflow(page, `Takeover ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Gate', 'browser', 380, 200, {
        askHuman: true,
        stepTimeoutMs: 2_000,
        steps: [
          { action: 'goto', target: gateUrl },
          { action: 'waitFor', target: '#secret' },
          { action: 'extractText', target: '#secret', name: 'result' },
        ],
      }),
    ],
    edges: [docEdge('Start', 'out', 'Gate')],
  });
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, input: {} });

  // The inbox lists the task once the step has failed.
  const item = page.getByTestId('takeover-inbox').getByRole('article').filter({ hasText: 'Step 2 (waitFor #secret)' });
  await expect
    .poll(
      async () => {
        await page.goto('/inbox');
        return item.count();
      },
      { timeout: 120_000 },
    )
    .toBe(1);
  await expect(item).toContainText('Browser needs a person: Step 2 (waitFor #secret) — Timeout 2000ms');
  await page.screenshot({ path: test.info().outputPath('takeover-inbox.png') });
  const href = await item.getByRole('link', { name: 'Take over' }).getAttribute('href');
  expect(href).toMatch(/^\/takeovers\/tko_/);

  // The run page says what the run waits for, and links the same task.
  await page.goto(`/runs/${runId}`);
  const banner = page.getByTestId('run-takeover');
  await expect(banner).toContainText('Gate is waiting for a person: Step 2 (waitFor #secret).');
  await expect(banner.getByRole('link', { name: 'Take over' })).toHaveAttribute('href', href!);
  await banner.getByRole('link', { name: 'Take over' }).click();

  await expect(page.getByRole('heading', { name: 'Browser needs a person: Step 2 (waitFor #secret)' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  const view = page.getByRole('application', { name: /Live browser/ });
  const frame = view.locator('img.live-browser-frame');
  await expect(frame).toBeVisible();
  await expect.poll(() => frame.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('takeover-time-left')).toContainText('left');
  await page.screenshot({ path: test.info().outputPath('takeover-page.png') });

  // The frame shows the 1280 × 800 page scaled into the view: click the button's middle (120, 50).
  const box = (await frame.boundingBox())!;
  const scale = Math.min(box.width / 1280, box.height / 800);
  const left = box.x + (box.width - 1280 * scale) / 2;
  const top = box.y + (box.height - 800 * scale) / 2;
  await page.mouse.click(left + 120 * scale, top + 50 * scale);
  await expect(page.locator('.takeover-url')).toHaveText(`${gateUrl}#passed`);

  await page.getByLabel('Note (optional)').fill('Clicked the button');
  await page.getByRole('button', { name: 'Done, continue' }).click();
  await expect(page.getByTestId('takeover-status')).toHaveText('Done by a person');

  const ended = async () => {
    const { run } = await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`);
    return run.status;
  };
  await expect.poll(ended, { timeout: 60_000 }).toBe('succeeded');
  const { steps } = await api<{ steps: Array<{ nodeId: string; output?: { data: { result: string } } }> }>(
    page,
    'GET',
    `/api/runs/${runId}/steps`,
  );
  expect(steps.find((s) => s.nodeId === 'Gate')?.output?.data.result).toBe('Passed');
});

test('the run page’s banner appears and goes with each task, live, without a reload', async ({ page }) => {
  await signIn(page);
  const workflowId = await createWorkflow(page, `Takeover banner ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Gate', 'browser', 380, 200, {
        askHuman: true,
        stepTimeoutMs: 2_000,
        steps: [
          { action: 'goto', target: gateUrl },
          { action: 'waitFor', target: '#secret' },
          { action: 'waitFor', target: '#never' },
        ],
      }),
    ],
    edges: [docEdge('Start', 'out', 'Gate')],
  });
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, input: {} });
  await page.goto(`/runs/${runId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  // Gone after any reload: its presence at the end shows the banner changed in place.
  await page.evaluate(() => Object.assign(window, { keptAcrossTheTest: true }));

  const banner = page.getByTestId('run-takeover');
  await expect(banner).toContainText('Gate is waiting for a person: Step 2 (waitFor #secret).', { timeout: 120_000 });
  await page.screenshot({ path: test.info().outputPath('run-takeover-banner.png') });
  const first = (await banner.getByRole('link', { name: 'Take over' }).getAttribute('href'))!.split('/').pop()!;
  await api(page, 'POST', `/api/takeovers/${first}/decision`, { decision: 'done' });

  // The first task's banner goes; the next step fails too, and its task's banner comes.
  await expect(banner).toContainText('Step 3 (waitFor #never)', { timeout: 60_000 });
  await expect(banner).toHaveCount(1);
  await expect(banner).not.toContainText('Step 2');
  const second = (await banner.getByRole('link', { name: 'Take over' }).getAttribute('href'))!.split('/').pop()!;
  expect(second).not.toBe(first);
  await api(page, 'POST', `/api/takeovers/${second}/decision`, { decision: 'give-up', note: 'Nothing to do' });
  await expect(banner).toHaveCount(0, { timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { keptAcrossTheTest?: boolean }).keptAcrossTheTest)).toBe(
    true,
  );
});
