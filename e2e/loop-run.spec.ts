// Loop history in the run panel, in real Chromium: Manual trigger → Loop over items → (each item) Set fields → back
// into "Loop end", run with a sample payload of three items; the run panel's iteration picker shows each
// iteration's Set fields step (buttons, the number box and ←/→), and the loop card shows its tally.
import { expect, test } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { nodeCard, dragFromPalette, settledCenter, connect, fillCode } from './canvas-helpers';

test('a loop run shows each iteration of its body in the run panel', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);

  // The view settles after the first drop; the others go relative to where the loop ends up, apart.
  await dragFromPalette(page, 'Loop over items', 360, 260);
  const at = await settledCenter(page, 'Loop over items');
  await dragFromPalette(page, 'Manual trigger', at.x - 280, at.y);
  await dragFromPalette(page, 'Set fields', at.x + 240, at.y + 160);
  await connect(page, 'Manual trigger', 'out', 'Loop over items', 'in');
  await connect(page, 'Loop over items', 'body', 'Set fields', 'in');
  await connect(page, 'Set fields', 'out', 'Loop over items', 'loopEnd');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  await nodeCard(page, 'Set fields').click();
  await page.getByRole('button', { name: /Add a field/ }).click();
  await page.getByLabel('Fields name 1').fill('doubled');
  await page.getByLabel('Fields value 1').fill('{{ $input.n * 2 }}');

  // The trigger's sample payload is what a run started from the editor without input gets.
  await nodeCard(page, 'Manual trigger').click();
  await fillCode(page, 'samplePayload', 'Sample payload', '[{ "n": 1 }, { "n": 2 }, { "n": 3 }]');

  await page.getByLabel('Workflow name').fill('Loop history');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await page.locator('.canvas .react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+Enter');
  await expect(nodeCard(page, 'Loop over items')).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await expect(nodeCard(page, 'Loop over items').getByTestId('loop-tally')).toHaveText('✓ 3');

  const panel = page.getByRole('region', { name: 'Run details' });
  const detail = panel.getByTestId('step-detail');
  const picker = panel.getByTestId('iteration-picker');
  await nodeCard(page, 'Set fields').click();
  await expect(picker).toContainText('Iteration 1 of 3');
  await expect(detail.getByTestId('json-output')).toContainText('"doubled": 2');

  await picker.getByRole('button', { name: 'Next iteration' }).click();
  await expect(picker).toContainText('Iteration 2 of 3');
  await expect(detail.getByTestId('json-input')).toContainText('"n": 2');
  await expect(detail.getByTestId('json-output')).toContainText('"doubled": 4');
  await expect(nodeCard(page, 'Set fields')).toHaveAttribute('data-status', 'succeeded');
  await page.screenshot({ path: 'test-results/loop-run-iteration-2.png' });

  // ←/→ while the picker has focus, and the number box jumps.
  await picker.focus();
  await page.keyboard.press('ArrowRight');
  await expect(picker).toContainText('Iteration 3 of 3');
  await expect(detail.getByTestId('json-output')).toContainText('"doubled": 6');
  await picker.getByLabel('Go to iteration').fill('1');
  await picker.getByLabel('Go to iteration').press('Enter');
  await expect(picker).toContainText('Iteration 1 of 3');
  await expect(detail.getByTestId('json-output')).toContainText('"doubled": 2');

  // The loop node shows an iteration's item and result, or the whole loop's step.
  await nodeCard(page, 'Loop over items').click();
  await expect(detail.getByTestId('loop-tally')).toHaveText('✓ 3');
  await expect(detail.getByTestId('json-item')).toContainText('"n": 1');
  await detail.getByRole('button', { name: 'Whole loop' }).click();
  await expect(detail.getByTestId('json-output')).toContainText('"doubled": 6');
});
