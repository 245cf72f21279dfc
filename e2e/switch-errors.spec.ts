// Switch and error handling, drawn, run and inspected in real Chromium (issue 7): an order goes through a Switch
// whose rules pick "Large", so only that branch runs and the others are skipped; the HTTP request there gets a 404
// from a loopback server and, with "Send to an Error output", its classified error goes down the Error output into a
// Stop and error node, which fails the run with its own message and code; the workflow's error workflow then runs,
// and its run is reachable from the failed run's panel and from the runs list.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { api, createWorkflow, docEdge, docNode } from './api';
import {
  connect,
  dragFromPalette,
  dropNamed,
  fillCode,
  nodeCard,
  portLabels,
  runPanel,
  saveAndRun,
  settledCenter,
  fillRule,
} from './canvas-helpers';

let orders: Server;
let ordersUrl: string;
/** Requests the orders API got: a 404 is not retried, so one per run. */
let hits = 0;

test.beforeAll(async () => {
  orders = createServer((req, res) => {
    hits += 1;
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `no ${req.url}` }));
  });
  await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
  ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => orders.close(resolve));
});

/** The error workflow, set up through the API and published: it notes which run failed and why. */
async function publishedErrorHandler(page: Page, name: string): Promise<string> {
  const id = await createWorkflow(page, name, {
    nodes: [
      docNode('Failure', 'manual-trigger', 0, 100),
      docNode('Note', 'set-fields', 300, 100, {
        fields: {
          failedRunId: '{{ $input.failedRun.runId }}',
          reason: '{{ $input.failedRun.error.message }}',
          code: '{{ $input.failedRun.error.code }}',
        },
        keepInput: false,
      }),
    ],
    edges: [docEdge('Failure', 'out', 'Note')],
  });
  await api(page, 'POST', `/api/workflows/${id}/publish`, {});
  return id;
}

test('a Switch takes one branch, an HTTP error goes down its Error output to Stop and error, and the error workflow runs', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await signIn(page);
  const handlerName = `Order failures ${Date.now()}`;
  await publishedErrorHandler(page, handlerName);

  await newWorkflow(page);
  await page.getByLabel('Workflow name').fill('Confirm large orders');
  await page.keyboard.press('Enter');

  // The view centres the first card; the others go around it, apart, so no port label covers a handle.
  await dragFromPalette(page, 'Switch', 400, 400);
  const at = await settledCenter(page, 'Switch');
  await dragFromPalette(page, 'Manual trigger', at.x - 260, at.y - 170);
  await dragFromPalette(page, 'HTTP request', at.x + 260, at.y - 170);
  await dropNamed(page, 'Set fields', 'Small order', at.x + 260, at.y + 170);
  await dropNamed(page, 'Set fields', 'Confirmed', at.x, at.y - 330);
  await dragFromPalette(page, 'Stop and error', at.x, at.y + 330);

  await nodeCard(page, 'Manual trigger').click();
  await fillCode(page, 'samplePayload', 'Sample payload', '{ "orderId": "A-17", "amount": 5000 }');

  await nodeCard(page, 'Switch').click();
  await fillRule(page, 1, {
    output: 'Large',
    value: '{{ $input.amount }}',
    operator: 'is greater than',
    compare: '1000',
  });
  await page.getByRole('button', { name: 'Add rule' }).click();
  await fillRule(page, 2, { output: 'Small', value: '{{ $input.amount }}', operator: 'is less than', compare: '10' });
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);

  await nodeCard(page, 'HTTP request').click();
  await page.getByLabel('URL', { exact: true }).fill(`${ordersUrl}/orders/{{ $input.orderId }}`);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: /Send to an Error output/ }).check();
  await expect(portLabels(page, 'HTTP request')).toHaveText(['Response', 'Error']);

  // The inspector stays on Settings from node to node.
  await nodeCard(page, 'Stop and error').click();
  await page.getByRole('tab', { name: 'Parameters' }).click();
  await page.getByLabel('Error message').fill('Order {{ $input.error.code }}: the order API refused it');
  await page.getByLabel('Error code').fill('order-unconfirmed');

  await connect(page, 'Manual trigger', 'out', 'Switch');
  await connect(page, 'Switch', '0', 'HTTP request');
  await connect(page, 'Switch', '1', 'Small order');
  await connect(page, 'HTTP request', 'out', 'Confirmed');
  await connect(page, 'HTTP request', 'error', 'Stop and error');
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // The workflow's error workflow, picked in the overview.
  await page.locator('.canvas .react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.getByRole('combobox', { name: 'Error workflow' }).click();
  await page.getByRole('option', { name: new RegExp(handlerName) }).click();
  await expect(page.getByRole('combobox', { name: 'Error workflow' })).toHaveValue(handlerName);
  await page.screenshot({ path: 'test-results/flow-e2e-switch-errors-drawn.png' });

  hits = 0;
  await saveAndRun(page);
  const { panel, status, detail } = runPanel(page);
  await expect(status).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });

  // The taken branch ran; the others were skipped, on the canvas and in the run panel.
  await expect(nodeCard(page, 'Switch')).toHaveAttribute('data-status', 'succeeded');
  await expect(nodeCard(page, 'HTTP request')).toHaveAttribute('data-status', 'failed');
  await expect(nodeCard(page, 'Small order')).toHaveAttribute('data-status', 'skipped');
  await expect(nodeCard(page, 'Confirmed')).toHaveAttribute('data-status', 'skipped');
  await expect(nodeCard(page, 'Stop and error')).toHaveAttribute('data-status', 'failed');
  const row = (name: string) => panel.locator('.step-row').filter({ hasText: name });
  await expect(row('Small order').locator('.step-dot')).toHaveClass(/skipped/);
  await expect(row('HTTP request').locator('.step-dot')).toHaveClass(/failed/);

  // The HTTP step shows the classified error, which is also what went down the Error output.
  await row('HTTP request').click();
  await expect(detail.getByRole('alert')).toContainText(
    `http-status: HTTP 404 Not Found from GET ${ordersUrl}/orders/A-17`,
  );
  await expect(detail.getByTestId('json-output')).toContainText('"code": "http-status"');
  expect(hits).toBe(1);

  // Stop and error failed the run with its message; its step shows the code.
  await expect(panel.locator('.run-error')).toContainText('Order http-status: the order API refused it');
  await row('Stop and error').click();
  await expect(detail.getByRole('alert')).toHaveText('order-unconfirmed: Order http-status: the order API refused it');
  await page.screenshot({ path: 'test-results/flow-e2e-switch-errors-run.png' });

  // The error workflow's run hangs off the failed run; it opens on its own workflow's canvas.
  const failedRunId = (await panel.locator('.run-panel-head .mono').getAttribute('title'))!;
  const errorRun = panel.locator('.run-children').getByRole('link', { name: handlerName });
  await expect(errorRun).toBeVisible({ timeout: 60_000 });
  await errorRun.click();
  await expect(page).toHaveURL(/\?run=/);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const errorPanel = runPanel(page);
  await expect(errorPanel.status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(errorPanel.panel.locator('.run-parent')).toContainText(`Started by run ${failedRunId.slice(0, 16)}`);
  await expect(errorPanel.panel.locator('.run-parent')).toContainText('Confirm large orders');
  await nodeCard(page, 'Note').click();
  await expect(errorPanel.detail.getByTestId('json-output')).toContainText(`"failedRunId": "${failedRunId}"`);
  const note = errorPanel.detail.getByTestId('json-output');
  await expect(note).toContainText('"code": "order-unconfirmed"');
  await expect(note).toContainText('Order http-status: the order API refused it');
  await page.screenshot({ path: 'test-results/flow-e2e-switch-errors-error-run.png' });

  // The runs list of the failed workflow links to the error run as well.
  await errorPanel.panel.locator('.run-parent').getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`\\?run=${failedRunId}$`));
  await runPanel(page).panel.getByRole('link', { name: 'All runs' }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  const failedRow = page.getByRole('row').filter({ hasText: failedRunId.slice(0, 16) });
  await expect(failedRow.locator('[data-status]').first()).toHaveAttribute('data-status', 'failed');
  await expect(failedRow.getByRole('link', { name: handlerName })).toBeVisible();
});
