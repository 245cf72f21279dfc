// The runs pages in Chromium: a run tagged by its trigger's "Tag run" setting is found by searching its tag, a
// status filter narrows the list, a row opens the run page with its canvas, timeline and JSON viewer, and a row of
// a running run turns cancelled live when the run is cancelled elsewhere. Screenshots of the list and the run page
// (running, failed, empty list) land in test-results/.
import { expect, test, type Page } from '@playwright/test';
import { api } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

const node = (id: string, type: string, x: number, params: Record<string, unknown>, policy?: unknown) => ({
  id,
  type,
  version: 1,
  name: id,
  position: { x, y: 200 },
  params,
  ...(policy ? { policy } : {}),
});
const edge = (source: string, target: string, sourcePort = 'out') => ({
  id: `${source}-${target}`,
  source,
  sourcePort,
  target,
  targetPort: 'in',
});

async function workflow(page: Page, name: string, nodes: unknown[], edges: unknown[]): Promise<string> {
  const created = await api<{ workflow: { id: string } }>(page, 'POST', '/api/workflows', {
    name,
    document: { nodes, edges, settings: {} },
  });
  return created.workflow.id;
}

async function runTo(page: Page, workflowId: string, input: unknown, status: string): Promise<string> {
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, input });
  await expect
    .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status, {
      timeout: 90_000,
    })
    .toBe(status);
  return runId;
}

const row = (page: Page, runId: string) => page.locator(`tr[data-run-id="${runId}"]`);

test('search by tag, filter, open a run: canvas, timeline and JSON viewer; a visible row updates live', async ({
  page,
}) => {
  await signIn(page);
  const employee = `e2e-${Date.now()}`;
  const tagged = await workflow(
    page,
    'Onboard (tagged runs)',
    [
      node('Start', 'manual-trigger', 100, {}, { tags: [{ key: 'employeeId', value: '{{ $.employeeId }}' }] }),
      node('Fail', 'stop-and-error', 400, { message: 'Stopped on purpose for {{ $.employeeId }}' }),
    ],
    [edge('Start', 'Fail')],
  );
  const failedRun = await runTo(page, tagged, { employeeId: employee }, 'failed');
  const waiting = await workflow(
    page,
    'Waits (live row)',
    [node('Start', 'manual-trigger', 100, {}), node('Wait', 'delay', 400, { amount: 10, unit: 'minutes' })],
    [edge('Start', 'Wait')],
  );
  const waitingRun = await runTo(page, waiting, {}, 'running');

  // The list, then a search by the tag finds exactly the tagged run.
  await page.goto('/runs');
  await expect(row(page, waitingRun)).toBeVisible();
  await page.screenshot({ path: 'test-results/runs-page.png', fullPage: true });
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search runs by run id or tag')).toBeFocused();
  await page.keyboard.type(`employeeId=${employee}`);
  await page.keyboard.press('Enter');
  await expect(page.locator('tr[data-run-id]')).toHaveCount(1);
  await expect(row(page, failedRun)).toContainText(`employeeId=${employee}`);
  // A status filter that excludes it empties the list.
  await page.getByLabel('Status').selectOption('succeeded');
  await expect(page.getByRole('heading', { name: 'No runs match' })).toBeVisible();
  await page.screenshot({ path: 'test-results/runs-page-empty.png', fullPage: true });
  await page.getByLabel('Status').selectOption('failed');
  await expect(row(page, failedRun)).toBeVisible();

  // Enter opens the active row: the run page.
  await page.getByRole('heading', { name: 'Runs', exact: true }).click();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/runs/${failedRun}$`));
  await expect(page.locator('[data-testid="workflow-node"][data-node-name="Fail"]')).toHaveAttribute(
    'data-status',
    'failed',
  );
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByTestId('timeline-row')).toHaveCount(2);
  await timeline.locator('[data-node-name="Start"]').click();
  const detail = page.getByRole('region', { name: 'Node detail' });
  await expect(detail.getByTestId('run-value-output')).toContainText(employee);
  await timeline.locator('[data-node-name="Fail"]').click();
  await expect(detail.getByRole('alert')).toContainText('Stopped on purpose');
  await page.screenshot({ path: 'test-results/run-page-failed.png', fullPage: true });

  // The running run's page, then its row in the list turns cancelled when it is cancelled through the API.
  await page.goto(`/runs/${waitingRun}`);
  await expect(page.locator('[data-testid="workflow-node"][data-node-name="Wait"]')).toHaveAttribute(
    'data-status',
    'running',
  );
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByTestId('timeline-row')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/run-page-running.png', fullPage: true });
  await page.goto(`/runs?workflowId=${waiting}`);
  await expect(row(page, waitingRun).locator('[data-status]').first()).toHaveAttribute('data-status', 'running');
  await api(page, 'POST', `/api/runs/${waitingRun}/cancel`, {});
  await expect(row(page, waitingRun).locator('[data-status]').first()).toHaveAttribute('data-status', 'cancelled', {
    timeout: 60_000,
  });
});
