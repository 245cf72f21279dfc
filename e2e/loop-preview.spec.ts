// The inspector's expression preview for a node inside a loop body, in real Chromium: it previews against that
// node's input in the iteration the run panel shows (the body node has no top-level step, so it used to show `{}`),
// follows the iteration picker, and after a reload, with no run panel, still finds the last run's first iteration.
import { expect, test } from '@playwright/test';
import { signIn } from './session';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel, saveAndRun } from './canvas-helpers';

test('a loop body node’s expression preview follows the chosen iteration', async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page);
  // Set up through the API: the canvas drawing of loops is e2e/loop-run.spec.ts's subject.
  const workflowId = await createWorkflow(page, 'Loop preview', {
    nodes: [
      docNode('Start', 'manual-trigger', 0, 200, { samplePayload: [{ n: 1 }, { n: 2 }, { n: 3 }] }),
      docNode('Each', 'loop-over-items', 300, 200),
      docNode('Double', 'set-fields', 600, 360, { fields: { doubled: '{{ $input.n * 2 }}' } }),
    ],
    edges: [
      docEdge('Start', 'out', 'Each'),
      docEdge('Each', 'body', 'Double'),
      docEdge('Double', 'out', 'Each', 'loopEnd'),
    ],
  });
  await page.goto(`/workflows/${workflowId}`, { waitUntil: 'domcontentloaded' });
  await expect(page.locator('html[data-hydrated]')).toBeAttached();

  // Before any run the preview says so.
  await nodeCard(page, 'Double').click();
  const preview = page.locator('[data-param="fields"]').getByTestId('expression-preview');
  await expect(preview).toContainText('Preview (no run yet)');

  await saveAndRun(page);
  await expect(nodeCard(page, 'Each')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  const { panel, detail } = runPanel(page);
  const picker = panel.getByTestId('iteration-picker');
  await nodeCard(page, 'Double').click();
  await expect(picker).toContainText('Iteration 1 of 3');
  await expect(preview).toContainText('Preview (last run, iteration 1)');
  await expect(preview.locator('pre')).toContainText('"doubled": 2');

  await picker.getByRole('button', { name: 'Next iteration' }).click();
  await expect(picker).toContainText('Iteration 2 of 3');
  await expect(detail.getByTestId('json-input')).toContainText('"n": 2');
  await expect(preview).toContainText('Preview (last run, iteration 2)');
  await expect(preview.locator('pre')).toContainText('"doubled": 4');
  await page.screenshot({ path: 'test-results/flow-e2e-loop-preview.png' });

  // Editing the expression previews the edit against the same iteration.
  await page.getByLabel('Fields value 1').fill('{{ $input.n + 100 }}');
  await expect(preview.locator('pre')).toContainText('"doubled": 102');

  // Closed run panel: the preview keeps the iteration last chosen.
  await page.getByRole('button', { name: 'Close run panel' }).click();
  await expect(panel).toBeHidden();
  await expect(preview).toContainText('Preview (last run, iteration 2)');
  await expect(preview.locator('pre')).toContainText('"doubled": 102');

  // A fresh page has no run panel and no loop data for the last run: the preview fetches it (iteration 1).
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await nodeCard(page, 'Double').click();
  await expect(preview).toContainText('Preview (last run, iteration 1)');
  await expect(preview.locator('pre')).toContainText('"doubled": 101');
});
