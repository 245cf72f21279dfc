// Retry from the failed node in Chromium: Manual trigger → Set fields → HTTP Request to a loopback server that
// answers 500 until the spec flips it. The failed run's page opens the Retry dialog, which warns that the HTTP node
// will call out again and lists Set fields as reused; confirming opens the new run, which succeeds, links back to
// the run it retried, and sent exactly one more request. Screenshots of the dialog and the new run in test-results/.
import { expect, test, type Page } from '@playwright/test';
import { startSink, type Sink } from '../test/sink';
import { api, createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

let sink: Sink;
/** While true the server answers 500; the spec flips it before confirming the retry. */
let failing = true;

test.beforeAll(async () => {
  sink = await startSink();
  sink.handle((_req, res) => {
    res
      .writeHead(failing ? 500 : 200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify(failing ? { error: 'down for the test' } : { ok: true }));
  });
});

test.afterAll(async () => {
  await sink?.close();
});

/** The status badge in the run page's heading. */
const runStatus = (page: Page) => page.locator('.page-header h1 [data-status]');

test('a failed run is retried from its failed node: warning, reused step, new run linked to the old', async ({
  page,
}) => {
  await signIn(page);
  const call = {
    ...docNode('CallApi', 'http-request', 700, 200, { method: 'GET', url: `${sink.url}/flaky` }),
    name: 'Call API',
    // One attempt: the run fails on the first 500 instead of retrying the activity.
    policy: { retry: { maximumAttempts: 1, initialIntervalMs: 0, backoffCoefficient: 1 } },
  };
  const workflowId = await createWorkflow(page, `Retry me ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 100, 200),
      docNode('Greeting', 'set-fields', 400, 200, { fields: { greeting: 'hello' } }),
      call,
    ],
    edges: [docEdge('Start', 'out', 'Greeting'), docEdge('Greeting', 'out', 'CallApi')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`, {});
  const { runId: failedRunId } = await api<{ runId: string }>(page, 'POST', '/api/runs', {
    workflowId,
    version: 1,
    input: { who: 'ann' },
  });
  const flaky = () => sink.requests.filter((r) => r.path === '/flaky').length;
  await expect
    .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${failedRunId}`)).run.status, {
      timeout: 90_000,
    })
    .toBe('failed');
  expect(flaky()).toBe(1);

  // The failed run's page: Retry opens the dialog with its plan.
  await page.goto(`/runs/${failedRunId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(runStatus(page)).toHaveAttribute('data-status', 'failed');
  await page.getByRole('button', { name: 'Retry from failed node…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retry from the failed node' });
  await expect(dialog).toBeVisible();
  // The run's own version; on a single published version both choices plan the same.
  await dialog.getByLabel('Original version (the one this run ran)').check();
  await expect(dialog.getByRole('alert')).toContainText('will run again');
  await expect(dialog.getByRole('alert').locator('strong')).toHaveText('Call API');
  await expect(dialog.getByRole('region', { name: 'Reused from this run' }).getByRole('listitem')).toHaveText([
    /^Greeting/,
  ]);
  await expect(dialog.getByRole('region', { name: 'Runs again' }).getByRole('listitem')).toHaveText([/^Call API/]);
  await expect(dialog.getByText('Version 1')).toBeVisible();
  await page.screenshot({ path: 'test-results/run-retry-dialog.png' });

  // The outside world is back; the retry calls it once more and opens the new run's page.
  failing = false;
  await dialog.getByRole('button', { name: 'Retry anyway' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(new RegExp(`/runs/${failedRunId}$`));
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  const retryId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await expect(page.locator('.page-header h1')).toContainText(retryId);
  await expect(runStatus(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  for (const name of ['Start', 'Greeting', 'Call API'])
    await expect(page.locator(`[data-testid="workflow-node"][data-node-name="${name}"]`)).toHaveAttribute(
      'data-status',
      'succeeded',
    );
  expect(flaky()).toBe(2);
  // The Set fields step was taken over: its output is the old run's, and it says so, linking to that run.
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.locator('[data-node-name="Greeting"]')).toContainText('reused');
  await expect(timeline.locator('[data-node-name="Call API"]')).not.toContainText('reused');
  await timeline.locator('[data-node-name="Greeting"]').click();
  const detail = page.getByRole('region', { name: 'Node detail' });
  await expect(detail.getByTestId('run-value-output')).toContainText('hello');
  await expect(detail.locator('.badge.reused')).toContainText(`Reused from run ${failedRunId.slice(0, 16)}`);
  await page.screenshot({ path: 'test-results/run-retry-new-run.png', fullPage: true });

  // The link back opens the original run, still failed, which links to its retry.
  const back = page.locator('.run-retry-of').getByRole('link', { name: failedRunId.slice(0, 16) });
  await expect(back).toHaveAttribute('title', failedRunId);
  await back.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${failedRunId}$`));
  await expect(runStatus(page)).toHaveAttribute('data-status', 'failed');
  const retries = page.getByTestId('run-retries');
  await expect(retries.getByRole('link', { name: retryId.slice(0, 16) })).toHaveAttribute('title', retryId);
  await expect(retries.locator('[data-status]')).toHaveAttribute('data-status', 'succeeded');
});
