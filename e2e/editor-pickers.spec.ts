// The editor's workflow pickers and Switch edges in real Chromium: another workflow picked as an Execute workflow
// node's target and as the error workflow (both survive a save and a reload), and a Switch rule that takes its
// edge along when it moves.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { nodeCard, portLabels, dragFromPalette, settledCenter, connect } from './canvas-helpers';

/** Deselects by clicking an empty corner of the canvas, which shows the workflow overview. */
async function showOverview(page: Page) {
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await expect(page.getByRole('complementary', { name: 'Workflow overview' })).toBeVisible();
}

test('pick a workflow for Execute workflow and as the error workflow; a Switch rule’s edge follows it', async ({
  page,
}) => {
  await signIn(page);
  // The second workflow, made the way the editor calls the API (same-origin fetch); never published.
  const targetName = `Pickers target ${Date.now()}`;
  const targetId = await page.evaluate(async (name) => {
    const response = await fetch('/api/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    if (response.status !== 201) throw new Error(`POST /api/workflows: HTTP ${response.status}`);
    return ((await response.json()) as { workflow: { id: string } }).workflow.id;
  }, targetName);

  await newWorkflow(page);

  await dragFromPalette(page, 'Execute workflow', 300, 300);
  const at = await settledCenter(page, 'Execute workflow');
  await dragFromPalette(page, 'Switch', at.x, at.y + 220);
  await dragFromPalette(page, 'Set fields', at.x + 360, at.y + 220);

  // The node's picker, from the keyboard: type to search, arrows, Enter.
  await nodeCard(page, 'Execute workflow').click();
  const picker = page.getByRole('combobox', { name: 'Workflow' });
  await picker.focus();
  await page.keyboard.type('pickers target');
  await expect(page.getByRole('option', { name: new RegExp(targetName) })).toBeVisible();
  await expect(page.getByRole('option', { name: new RegExp(targetName) })).toContainText('not published');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue(targetName);
  await expect(page.getByText(`“${targetName}” is not published.`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open' })).toHaveAttribute('href', `/workflows/${targetId}`);

  // The overview's error workflow, with the mouse.
  await showOverview(page);
  const errorPicker = page.getByRole('combobox', { name: 'Error workflow' });
  await expect(errorPicker).toHaveValue('');
  await errorPicker.click();
  await expect(page.getByRole('option', { name: 'None' })).toBeVisible();
  await page.getByRole('option', { name: new RegExp(targetName) }).click();
  await expect(errorPicker).toHaveValue(targetName);
  await expect(page.getByText('When a run fails, start this workflow’s published version')).toBeVisible();

  // Switch: two rules, the first one's output connected; moving the rule down takes the edge to output 2.
  await nodeCard(page, 'Switch').click();
  await page.getByLabel('Output name, rule 1').fill('Large');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByLabel('Output name, rule 2').fill('Small');
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);
  const switchId = await nodeCard(page, 'Switch').evaluate((el) =>
    el.closest('.react-flow__node')!.getAttribute('data-id'),
  );
  await connect(page, 'Switch', '0', 'Set fields');
  const edges = page.locator('.react-flow__edge');
  await expect(edges).toHaveCount(1);
  await expect(edges.first()).toHaveAttribute('data-testid', new RegExp(`^rf__edge-e_${switchId}_0_`));
  await page.getByRole('button', { name: 'Move rule 1 down' }).click();
  await expect(portLabels(page, 'Switch')).toHaveText(['Small', 'Large', 'Fallback']);
  await expect(edges).toHaveCount(1);
  await expect(edges.first()).toHaveAttribute('data-testid', new RegExp(`^rf__edge-e_${switchId}_1_`));
  // One undo puts the rule and its edge back together.
  await page.keyboard.press('Control+z');
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);
  await expect(edges.first()).toHaveAttribute('data-testid', new RegExp(`^rf__edge-e_${switchId}_0_`));
  await page.keyboard.press('Control+Shift+z');
  await expect(portLabels(page, 'Switch')).toHaveText(['Small', 'Large', 'Fallback']);

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await page.reload();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(portLabels(page, 'Switch')).toHaveText(['Small', 'Large', 'Fallback']);
  await expect(edges).toHaveCount(1);
  await expect(edges.first()).toHaveAttribute('data-testid', new RegExp(`^rf__edge-e_${switchId}_1_`));
  await expect(page.getByRole('combobox', { name: 'Error workflow' })).toHaveValue(targetName);
  await nodeCard(page, 'Execute workflow').click();
  await expect(page.getByRole('combobox', { name: 'Workflow' })).toHaveValue(targetName);

  // "None" clears the error workflow.
  await showOverview(page);
  await page.getByRole('combobox', { name: 'Error workflow' }).click();
  await page.getByRole('option', { name: 'None' }).click();
  await expect(page.getByRole('combobox', { name: 'Error workflow' })).toHaveValue('');
});
