// Execute workflow, drawn and run in real Chromium: a child workflow (Manual trigger → Set fields greeting its input)
// is drawn and published; a parent (Manual trigger { name: "Ada" } → Execute workflow, waiting) picks it and runs.
// The parent's run panel shows the child's output on the Execute workflow step and links to the child run, whose
// panel links back to the parent run and the node that started it.
import { expect, test } from '@playwright/test';
import { signIn } from './session';
import { nodeCard, dragFromPalette, settledCenter, connect, runPanel } from './canvas-helpers';
import { newWorkflow, runFromEditor, saveAs, setFields, setSamplePayload } from './run-helpers';

// The first page a fresh dev server serves compiles the app, which on a loaded machine takes minutes on its own.
test.describe.configure({ timeout: 300_000 });

test('Execute workflow shows the child run’s output and links both ways', async ({ page }) => {
  const stamp = Date.now();
  const childName = `Greeter ${stamp}`;
  const parentName = `Greets through a child ${stamp}`;
  await signIn(page);

  await newWorkflow(page);
  const childId = new URL(page.url()).pathname.split('/').pop()!;
  await dragFromPalette(page, 'Manual trigger', 300, 260);
  const trigger = await settledCenter(page, 'Manual trigger');
  await dragFromPalette(page, 'Set fields', trigger.x + 300, trigger.y);
  await connect(page, 'Manual trigger', 'out', 'Set fields', 'in');
  await setFields(page, 'Set fields', { greeting: '{{ "Hello, " & $input.name }}' });
  await saveAs(page, childName);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Published version 1.')).toBeVisible();

  await page.goto('/');
  await newWorkflow(page);
  const parentId = new URL(page.url()).pathname.split('/').pop()!;
  await dragFromPalette(page, 'Execute workflow', 420, 260);
  const at = await settledCenter(page, 'Execute workflow');
  await dragFromPalette(page, 'Manual trigger', at.x - 300, at.y);
  await connect(page, 'Manual trigger', 'out', 'Execute workflow', 'in');
  await nodeCard(page, 'Execute workflow').click();
  const picker = page.getByRole('combobox', { name: 'Workflow' });
  await picker.focus();
  await page.keyboard.type(childName);
  await expect(page.getByRole('option', { name: new RegExp(childName) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue(childName);
  await setSamplePayload(page, '{ "name": "Ada" }');
  await saveAs(page, parentName);

  const parentRunId = await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await nodeCard(page, 'Execute workflow').click();
  const output = runPanel(page).detail.getByTestId('json-output');
  await expect(output).toContainText('"greeting": "Hello, Ada"');
  const childLink = runPanel(page).panel.locator('.run-children').getByRole('link', { name: childName });
  await expect(childLink).toBeVisible();
  await expect(runPanel(page).panel.locator('.run-children [data-status]')).toHaveAttribute('data-status', 'succeeded');
  await page.screenshot({ path: 'test-results/subworkflow-parent-run.png' });

  await childLink.click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${childId}\\?run=run_`));
  const childRunId = new URL(page.url()).searchParams.get('run')!;
  expect(childRunId).not.toBe(parentRunId);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded');
  // The child's id starts with its parent's: the panel shows the part that tells them apart.
  await expect(runPanel(page).panel.locator('.run-panel-head .mono')).toContainText('--sub-');
  const parentLine = runPanel(page).panel.locator('.run-parent');
  await expect(parentLine).toContainText(`of ${parentName}`);
  await expect(parentLine).toContainText('(node “Execute workflow”)');
  await nodeCard(page, 'Set fields').click();
  await expect(runPanel(page).detail.getByTestId('json-input')).toContainText('"name": "Ada"');
  await expect(runPanel(page).detail.getByTestId('json-output')).toContainText('"greeting": "Hello, Ada"');
  await page.screenshot({ path: 'test-results/subworkflow-child-run.png' });

  await parentLine.getByRole('link', { name: parentRunId.slice(0, 16) }).click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${parentId}\\?run=${parentRunId}$`));
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded');
  await expect(runPanel(page).panel.locator('.run-children').getByRole('link', { name: childName })).toBeVisible();

  // The child workflow's runs page: its version, and the run that started it, linked from the row.
  await page.goto(`/workflows/${childId}/runs`);
  const row = page.getByRole('row').filter({ hasText: childRunId.slice(0, 16) });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'succeeded');
  await expect(row.getByText('v1', { exact: true })).toBeVisible();
  await expect(row.locator('.run-parent')).toContainText(`Started by run ${parentRunId.slice(0, 16)}`);
  await page.screenshot({ path: 'test-results/subworkflow-child-runs-page.png' });
  await row
    .locator('.run-parent')
    .getByRole('link', { name: parentRunId.slice(0, 16) })
    .click();
  await expect(page).toHaveURL(new RegExp(`/workflows/${parentId}\\?run=${parentRunId}$`));
});
