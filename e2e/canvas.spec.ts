// The core loop with mouse and keyboard only: build Manual → Set → HTTP on the canvas, save, run, watch the
// nodes turn green live, read the HTTP node's output. The page must never request anything off this machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';

const SERVER_REPLY = { message: 'hello from the e2e server', items: [1, 2, 3] };

let apiServer: Server;
let apiUrl: string;

test.beforeAll(async () => {
  apiServer = createServer((req, res) => {
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ ...SERVER_REPLY, method: req.method }));
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}/greeting`;
});

test.afterAll(async () => {
  await new Promise((resolve) => apiServer.close(resolve));
});

async function dragFromPalette(page: Page, title: string, x: number, y: number) {
  const item = page.getByRole('button', { name: `Add ${title}` });
  await item.dragTo(page.locator('[data-canvas]'), { targetPosition: { x, y } });
  await expect(nodeCard(page, title)).toBeVisible();
}

const nodeCard = (page: Page, name: string) => page.locator(`[data-testid="workflow-node"][data-node-name="${name}"]`);

async function connect(page: Page, from: string, to: string) {
  const source = await nodeCard(page, from).locator('.react-flow__handle.source').first().boundingBox();
  const target = await nodeCard(page, to).locator('.react-flow__handle.target').first().boundingBox();
  if (!source || !target) throw new Error(`Handles of ${from} → ${to} are not on screen.`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move((source.x + target.x) / 2, (source.y + target.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
  await page.mouse.up();
}

test('build, save and run a workflow on the canvas', async ({ page }) => {
  const offMachine: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['data:', 'blob:'].includes(url.protocol)) return;
    if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) offMachine.push(request.url());
  });

  await signIn(page);
  await newWorkflow(page);
  await expect(page.locator('.react-flow')).toBeVisible();

  await dragFromPalette(page, 'Manual trigger', 140, 220);
  await dragFromPalette(page, 'Set fields', 420, 220);
  await dragFromPalette(page, 'HTTP request', 700, 220);
  await connect(page, 'Manual trigger', 'Set fields');
  await connect(page, 'Set fields', 'HTTP request');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await nodeCard(page, 'HTTP request').click();
  await page.getByLabel('URL', { exact: true }).fill(apiUrl);
  await nodeCard(page, 'Set fields').click();
  await page.getByRole('button', { name: /Add a field/ }).click();
  await page.getByLabel('Fields name 1').fill('greeting');
  await page.getByLabel('Fields value 1').fill('hello');

  await page.getByLabel('Workflow name').fill('Greeting pipeline');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await page.locator('.canvas .react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+Enter');
  for (const name of ['Manual trigger', 'Set fields', 'HTTP request']) {
    await expect(nodeCard(page, name)).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  }

  await nodeCard(page, 'HTTP request').click();
  const output = page.getByTestId('step-detail').getByTestId('json-output');
  await expect(output).toContainText(SERVER_REPLY.message);

  await page.getByRole('button', { name: 'Fit View' }).click();
  // The README's screenshot is refreshed on request only, so a test run leaves tracked files alone.
  const shot = process.env.BATON_UPDATE_SCREENSHOT ? 'docs/screenshot-canvas.png' : 'test-results/canvas-after-run.png';
  await page.screenshot({ path: shot });
  expect(offMachine, `requests left the machine: ${offMachine.join(', ')}`).toEqual([]);
});
