// Stopping runs from the UI: a run waiting in a Delay node is cancelled from the run panel under the canvas
// and from the runs list, each after a confirmation, and turns cancelled; a run terminated outside Baton (as
// with `temporal workflow terminate`) turns terminated in the open run panel through its live event.
import { Client, Connection } from '@temporalio/client';
import { expect, test, type Page } from '@playwright/test';
import { api } from './api';
import { signIn } from './session';

const node = (id: string, type: string, x: number, params: Record<string, unknown>) => ({
  id,
  type,
  version: 1,
  name: id,
  position: { x, y: 200 },
  params,
});

/** Start → Wait (10 minutes): its runs sit in a durable timer until stopped. */
async function waitingWorkflow(page: Page, name: string): Promise<string> {
  const document = {
    nodes: [node('Start', 'manual-trigger', 100, {}), node('Wait', 'delay', 400, { amount: 10, unit: 'minutes' })],
    edges: [{ id: 'e1', source: 'Start', sourcePort: 'out', target: 'Wait', targetPort: 'in' }],
    settings: {},
  };
  const { workflow } = await api<{ workflow: { id: string } }>(page, 'POST', '/api/workflows', { name, document });
  return workflow.id;
}

async function startRun(page: Page, workflowId: string): Promise<string> {
  return (await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId })).runId;
}

const nodeCard = (page: Page, name: string) => page.locator(`[data-testid="workflow-node"][data-node-name="${name}"]`);
const runPanelStatus = (page: Page) =>
  page.getByRole('region', { name: 'Run details' }).locator('[data-status]').first();

test('cancel a waiting run from the run panel', async ({ page }) => {
  await signIn(page);
  const workflowId = await waitingWorkflow(page, 'Waits ten minutes (panel)');
  const runId = await startRun(page, workflowId);
  await page.goto(`/workflows/${workflowId}?run=${encodeURIComponent(runId)}`);
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect(runPanelStatus(page)).toHaveAttribute('data-status', 'running');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel run' }).click();

  await expect(runPanelStatus(page)).toHaveAttribute('data-status', 'cancelled');
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'failed');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Cancel run' })).toBeHidden();
});

test('cancel a waiting run from the runs list', async ({ page }) => {
  await signIn(page);
  const workflowId = await waitingWorkflow(page, 'Waits ten minutes (list)');
  const runId = await startRun(page, workflowId);
  await page.goto(`/workflows/${workflowId}/runs`);
  const row = page.getByRole('row').filter({ hasText: runId.slice(0, 16) });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });

  await row.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  // "Keep running" dismisses without stopping anything, and without opening the run.
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/workflows/${workflowId}/runs$`));

  await row.getByRole('button', { name: 'Cancel run' }).click();
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');
  await expect(page).toHaveURL(new RegExp(`/workflows/${workflowId}/runs$`));
});

test('a run terminated outside Baton shows terminated in the open run panel', async ({ page }) => {
  // The reconciler notices once the run has been quiet for BATON_RECONCILE_AFTER_MS (60 s unless the e2e
  // worker is started with less) plus one pass; app/run-lifecycle.test.ts checks the seconds-scale path.
  test.setTimeout(240_000);
  await signIn(page);
  const workflowId = await waitingWorkflow(page, 'Waits ten minutes (terminated)');
  const runId = await startRun(page, workflowId);
  await page.goto(`/workflows/${workflowId}?run=${encodeURIComponent(runId)}`);
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });

  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
    await client.workflow.getHandle(runId).terminate('stopped by an operator with the temporal CLI');
  } finally {
    await connection.close();
  }

  await expect(runPanelStatus(page)).toHaveAttribute('data-status', 'terminated', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Run details' })).toContainText(
    'Run terminated: stopped by an operator with the temporal CLI',
  );
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'failed');
});
