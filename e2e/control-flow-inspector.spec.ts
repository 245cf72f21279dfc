// The inspector's control-flow editing (issue 7) in real Chromium: a Switch's rules in the rows editor become
// labelled output handles, and "On error → Send to an Error output" gives an HTTP node a red Error handle that
// takes a connection. Both survive a save and a reload.
import { expect, test } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { nodeCard, portLabels, dragFromPalette, settledCenter, connect, fillRule } from './canvas-helpers';

test('Switch rules become outputs and an HTTP node gets an Error output; both persist', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);

  // Apart, so no card covers another's handles: HTTP above the Switch, Set fields to its right.
  await dragFromPalette(page, 'Switch', 300, 400);
  const at = await settledCenter(page, 'Switch');
  await dragFromPalette(page, 'HTTP request', at.x, at.y - 200);
  await dragFromPalette(page, 'Set fields', at.x + 340, at.y - 200);

  // Rules, edited in the rows editor; the card's outputs follow them.
  await nodeCard(page, 'Switch').click();
  await fillRule(page, 1, {
    output: 'Large',
    value: '{{ $input.amount }}',
    operator: 'is greater than',
    compare: '1000',
  });
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByLabel('Output name, rule 2')).toBeFocused();
  await fillRule(page, 2, { output: 'Small', value: '{{ $input.amount }}', operator: 'is less than', compare: '10' });
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);

  // Reordering from the keyboard moves the output with its rule, and focus stays on the moved rule.
  await page.getByRole('button', { name: 'Move rule 2 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(portLabels(page, 'Switch')).toHaveText(['Small', 'Large', 'Fallback']);
  await expect(page.getByRole('button', { name: 'Move rule 1 down' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);

  // A broken expression is marked on its own cell.
  await page.getByLabel('Value, rule 2').fill('{{ $input.amount');
  await expect(page.getByLabel('Value, rule 2')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Value, rule 1')).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Value, rule 2').fill('{{ $input.amount }}');
  await expect(page.getByLabel('Value, rule 2')).not.toHaveAttribute('aria-invalid', 'true');

  // On error → Send to an Error output: a red Error handle appears and takes a connection.
  await nodeCard(page, 'HTTP request').click();
  await page.getByRole('tab', { name: 'Settings' }).click();
  const errorHandle = nodeCard(page, 'HTTP request').locator('.react-flow__handle[data-port="error"]');
  await expect(errorHandle).toHaveCount(0);
  await page.getByRole('radio', { name: /Send to an Error output/ }).check();
  await expect(errorHandle).toBeVisible();
  await expect(errorHandle).toHaveClass(/error-port/);
  await expect(portLabels(page, 'HTTP request')).toHaveText(['Response', 'Error']);

  // Out-of-range numbers are refused on the field; a valid one is taken.
  await page.getByLabel('Attempts').fill('20');
  await expect(page.getByText('Must be 1 to 10 attempts.')).toBeVisible();
  await page.getByLabel('Attempts').fill('5');
  await expect(page.getByText('Must be 1 to 10 attempts.')).toHaveCount(0);
  await page.getByLabel('Timeout').fill('30');
  await expect(page.getByText('Up to 5 attempts')).toBeVisible();

  await connect(page, 'HTTP request', 'error', 'Set fields');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  // Leaving the Error output removes its edge (it would dangle), and can put it back.
  await page.getByRole('radio', { name: /Continue/ }).check();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await expect(errorHandle).toHaveCount(0);
  await page.getByRole('button', { name: 'Put it back' }).click();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.getByRole('radio', { name: /Send to an Error output/ })).toBeChecked();

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await page.screenshot({ path: 'test-results/control-flow-inspector.png' });

  await page.reload();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(portLabels(page, 'Switch')).toHaveText(['Large', 'Small', 'Fallback']);
  await expect(portLabels(page, 'HTTP request')).toHaveText(['Response', 'Error']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  await nodeCard(page, 'Switch').click();
  await expect(page.getByLabel('Output name, rule 2')).toHaveValue('Small');
  await expect(page.getByLabel('Operator, rule 1')).toHaveValue('gt');
  await nodeCard(page, 'HTTP request').click();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByRole('radio', { name: /Send to an Error output/ })).toBeChecked();
  await expect(page.getByLabel('Attempts')).toHaveValue('5');
  await expect(page.getByLabel('Timeout')).toHaveValue('30');
  // Untouched fields keep no override: the spec's default shows as the placeholder.
  await expect(page.getByLabel('Backoff')).toHaveValue('');
});
