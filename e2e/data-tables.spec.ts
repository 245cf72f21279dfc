// Data tables in real Chromium (docs/decisions/050-data-tables.md): a table is created from the Tables page, its
// columns added through the column dialog and its rows typed into the grid (a bad date refused under its cell,
// a yes/no cell flipped and a text cell edited from the keyboard), then a workflow picks the table in the Data table
// node's inspector, a run inserts a row, and the grid shows it.
import { expect, test } from '@playwright/test';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

test('create a table, fill it in the grid, insert a row from a workflow run and see it', async ({ page }) => {
  await signIn(page);
  const tableName = `IT equipment ${Date.now()}`;

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Build' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tables' }).click();
  await expect(page.getByRole('heading', { name: 'Tables', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const create = page.getByRole('button', { name: /Create your first table|New table/ });
  await page.screenshot({ path: 'test-results/data-tables-list.png' });
  await create.click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(tableName);
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(page.getByRole('heading', { name: tableName })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No columns yet' })).toBeVisible();

  const addColumn = async (name: string, type: string, opts: { required?: boolean; unique?: boolean } = {}) => {
    await page
      .getByRole('button', { name: /^Add (the first )?column$/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Add a column' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Type').selectOption({ label: type });
    if (opts.required) await dialog.getByLabel(/Required/).check();
    if (opts.unique) await dialog.getByLabel(/Unique/).check();
    await dialog.getByRole('button', { name: 'Add column' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('columnheader', { name: new RegExp(name) })).toBeVisible();
  };
  await addColumn('Email', 'Text', { required: true, unique: true });
  await addColumn('Laptop issued', 'Yes / no');
  await addColumn('Start', 'Date');

  // Rows typed into the last line; a bad date is refused under its cell and nothing is added.
  const newCell = (column: string) => page.getByLabel(`New row: ${column}`);
  await newCell('Email').fill('ada@acme.test');
  await newCell('Start').fill('2025-02-30');
  await newCell('Start').press('Enter');
  await expect(page.getByRole('alert')).toContainText('Column "Start" (date): "2025-02-30" is not a date');
  await page.screenshot({ path: 'test-results/data-tables-cell-error.png' });
  await newCell('Start').fill('2025-03-03');
  await newCell('Start').press('Enter');
  const grid = page.getByRole('grid', { name: `Rows of ${tableName}` });
  await expect(grid.getByRole('gridcell', { name: 'Email, row 1: ada@acme.test' })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: 'Start, row 1: 2025-03-03' })).toBeVisible();
  await expect(newCell('Email')).toHaveValue('');
  await newCell('Email').fill('grace@acme.test');
  await newCell('Email').press('Enter');
  await expect(grid.getByRole('gridcell', { name: 'Email, row 2: grace@acme.test' })).toBeVisible();
  // The unique column refuses a second "ada", with the server's message.
  await newCell('Email').fill('ada@acme.test');
  await newCell('Email').press('Enter');
  await expect(page.getByRole('alert')).toContainText(
    'The row was not added: Column "Email" is unique, and another row already holds "ada@acme.test".',
  );
  await newCell('Email').fill('');

  // From the keyboard: flip Ada's laptop with Space, then rename Grace with Enter, typing, Enter.
  await grid.getByRole('gridcell', { name: 'Email, row 1: ada@acme.test' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(grid.getByRole('gridcell', { name: 'Laptop issued, row 1: empty' })).toBeFocused();
  await page.keyboard.press(' ');
  await expect(grid.getByRole('gridcell', { name: 'Laptop issued, row 1: true' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft');
  await expect(grid.getByRole('gridcell', { name: 'Email, row 2: grace@acme.test' })).toBeFocused();
  await page.keyboard.press('Enter');
  const editor = grid.getByRole('textbox', { name: 'Email, row 2' });
  await editor.fill('grace.hopper@acme.test');
  await editor.press('Enter');
  await expect(grid.getByRole('gridcell', { name: 'Email, row 2: grace.hopper@acme.test' })).toBeVisible();

  // Search narrows the rows; clearing it brings them back.
  await page.getByLabel('Search rows').fill('hopper');
  await expect(page.getByRole('status').filter({ hasText: 'Rows 1–1 of 1 matching' })).toBeVisible();
  await page.getByLabel('Search rows').fill('');
  await expect(page.getByRole('status').filter({ hasText: 'Rows 1–2 of 2' })).toBeVisible();
  await page.screenshot({ path: 'test-results/data-tables-grid.png' });
  const tableUrl = page.url();

  // A workflow whose Data table node gets its table from the inspector's picker, then runs.
  const workflowId = await createWorkflow(page, `Issue laptops ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200, { samplePayload: { email: 'linus@acme.test' } }),
      docNode('Record', 'data-table', 380, 200, {
        operation: 'insert',
        values: { Email: '{{ $input.email }}', 'Laptop issued': 'true', Start: '2025-04-01' },
      }),
    ],
    edges: [docEdge('Start', 'out', 'Record')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'Record').click();
  const picker = page.getByRole('combobox', { name: 'Table' });
  await expect(picker).toBeEnabled();
  await picker.selectOption({ label: tableName });
  await expect(page.getByTestId('data-table-columns')).toHaveText(
    'Columns: Email (text), Laptop issued (yes / no), Start (date)',
  );
  await page.screenshot({ path: 'test-results/data-tables-picker.png' });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await nodeCard(page, 'Record').click();
  await expect(runPanel(page).detail).toContainText('linus@acme.test');

  // The grid shows the row the run inserted.
  await page.goto(tableUrl);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const reloaded = page.getByRole('grid', { name: `Rows of ${tableName}` });
  await expect(reloaded.getByRole('gridcell', { name: 'Email, row 3: linus@acme.test' })).toBeVisible();
  await expect(reloaded.getByRole('gridcell', { name: 'Laptop issued, row 3: true' })).toBeVisible();
  await expect(reloaded.getByRole('gridcell', { name: 'Start, row 3: 2025-04-01' })).toBeVisible();
  await expect(page.getByText('3 rows · 3 columns')).toBeVisible();
  await page.screenshot({ path: 'test-results/data-tables-after-run.png' });

  await page.getByRole('link', { name: '← Tables' }).click();
  await expect(page.getByRole('link', { name: tableName })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(tableName) })).toContainText('3');
  await page.screenshot({ path: 'test-results/data-tables-list-filled.png' });
});
