// Repeat until, drawn and run in real Chromium: Manual trigger ({ n: 0 }) → Repeat until "n ≥ 3" whose body (Set
// fields, n + 1) feeds back into "Loop end"; Done and Max reached each lead to a Set fields. The run panel's iteration
// picker shows each iteration's body step, and the run goes down Done. Edited to stop after 2 iterations with a
// condition that never holds, the next run goes down Max reached with the last result.
import { expect, test } from '@playwright/test';
import { signIn } from './session';
import { nodeCard, dragFromPalette, settledCenter, connect, runPanel } from './canvas-helpers';
import { newWorkflow, runFromEditor, saveAs, setFields, setSamplePayload } from './run-helpers';

// The first page a fresh dev server serves compiles the app, which on a loaded machine takes minutes on its own.
test.describe.configure({ timeout: 300_000 });

test('Repeat until: each iteration in the run panel, then Done; with a lower limit, Max reached', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);
  await dragFromPalette(page, 'Repeat until', 360, 260);
  const at = await settledCenter(page, 'Repeat until');
  await dragFromPalette(page, 'Manual trigger', at.x - 280, at.y);
  await dragFromPalette(page, 'Set fields', at.x + 240, at.y + 170);
  await dragFromPalette(page, 'Set fields', at.x + 320, at.y - 130);
  await dragFromPalette(page, 'Set fields', at.x + 320, at.y - 30);
  await connect(page, 'Manual trigger', 'out', 'Repeat until', 'in');
  await connect(page, 'Repeat until', 'body', 'Set fields', 'in');
  await connect(page, 'Set fields', 'out', 'Repeat until', 'loopEnd');
  await connect(page, 'Repeat until', 'done', 'Set fields 2', 'in');
  await connect(page, 'Repeat until', 'maxReached', 'Set fields 3', 'in');
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  await nodeCard(page, 'Repeat until').click();
  await page.getByLabel('Until', { exact: true }).fill('{{ $input.n }}');
  await page.getByLabel('Operator', { exact: true }).selectOption({ label: 'is greater than or equal to' });
  await page.getByLabel('Compare with', { exact: true }).fill('3');
  await page.getByLabel('At most', { exact: true }).fill('10');
  await setFields(page, 'Set fields', { n: '{{ $input.n + 1 }}' });
  await setFields(page, 'Set fields 2', { finished: 'done' });
  await setFields(page, 'Set fields 3', { finished: 'gave up' });
  await setSamplePayload(page, '{ "n": 0 }');
  await saveAs(page, 'Count to three');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await expect(nodeCard(page, 'Repeat until').getByTestId('loop-tally')).toHaveText('✓ 3');
  await expect(nodeCard(page, 'Set fields 2')).toHaveAttribute('data-status', 'succeeded');
  await expect(nodeCard(page, 'Set fields 3')).toHaveAttribute('data-status', 'skipped');

  const detail = runPanel(page).detail;
  const picker = detail.getByTestId('iteration-picker');
  await nodeCard(page, 'Set fields').click();
  await expect(picker).toContainText('Iteration 1 of 3');
  await expect(detail.getByTestId('json-output')).toContainText('"n": 1');
  await picker.getByRole('button', { name: 'Next iteration' }).click();
  await expect(picker).toContainText('Iteration 2 of 3');
  await expect(detail.getByTestId('json-input')).toContainText('"n": 1');
  await expect(detail.getByTestId('json-output')).toContainText('"n": 2');
  await picker.getByRole('button', { name: 'Next iteration' }).click();
  await expect(picker).toContainText('Iteration 3 of 3');
  await expect(detail.getByTestId('json-output')).toContainText('"n": 3');
  await expect(picker.getByRole('button', { name: 'Next iteration' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/repeat-until-iteration-3.png' });

  // The loop's whole step holds the last result, which went down Done.
  await nodeCard(page, 'Repeat until').click();
  await detail.getByRole('button', { name: 'Whole loop' }).click();
  await expect(detail.getByTestId('json-output')).toContainText('"n": 3');
  await nodeCard(page, 'Set fields 2').click();
  await expect(detail.getByTestId('json-output')).toContainText('"finished": "done"');
  await expect(detail.getByTestId('json-output')).toContainText('"n": 3');

  // At most 2, and a condition that never holds: the run goes down Max reached with the second result.
  await nodeCard(page, 'Repeat until').click();
  await page.getByLabel('Compare with', { exact: true }).fill('100');
  await page.getByLabel('At most', { exact: true }).fill('2');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  await expect(nodeCard(page, 'Repeat until').getByTestId('loop-tally')).toHaveText('✓ 2');
  await expect(nodeCard(page, 'Set fields 3')).toHaveAttribute('data-status', 'succeeded');
  await expect(nodeCard(page, 'Set fields 2')).toHaveAttribute('data-status', 'skipped');
  await nodeCard(page, 'Set fields').click();
  await expect(picker).toContainText('Iteration 1 of 2');
  await nodeCard(page, 'Set fields 3').click();
  await expect(detail.getByTestId('json-output')).toContainText('"finished": "gave up"');
  await expect(detail.getByTestId('json-output')).toContainText('"n": 2');
  await page.screenshot({ path: 'test-results/repeat-until-max-reached.png' });
});
