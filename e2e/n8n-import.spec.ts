// Import from n8n in real Chromium (docs/decisions/062-n8n-import.md): a broken paste is refused naming the field;
// the fixture file picked from disk shows its summary (placeholders with what to replace them with, credentials to
// pick), then the draft opens in the editor with the placeholder nodes on the canvas.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

const fixture = fileURLToPath(new URL('../test/n8n/schedule-unknown.json', import.meta.url));

test('import an n8n workflow from the workflows list and land in the editor', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Import from n8n' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import from n8n' });
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('Workflow JSON').fill('{ "nodes": {} }');
  await dialog.getByRole('button', { name: 'Check file' }).click();
  await expect(dialog.getByRole('alert')).toContainText('nodes: must be an array of nodes');
  await page.screenshot({ path: 'test-results/n8n-import-error.png' });

  await dialog.getByLabel('Or pick a file').setInputFiles(fixture);
  await expect(dialog.getByLabel('Workflow JSON')).toHaveValue(/Nightly sheet sync/);
  await dialog.getByRole('button', { name: 'Check file' }).click();
  const summary = dialog.getByRole('region', { name: 'Import summary' });
  await expect(summary).toContainText('4 nodes imported, 2 placeholders to replace');
  await expect(summary).toContainText(
    'Read sheet (n8n-nodes-base.googleSheets): replace with Data table, or HTTP request to the Google Sheets API',
  );
  await expect(summary).toContainText('Read sheet: n8n "googleSheetsOAuth2Api" (Google Sheets account)');
  await page.screenshot({ path: 'test-results/n8n-import-summary.png' });

  await dialog.getByRole('button', { name: 'Create workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/[a-f0-9]{24}$/);
  await expect(page.locator('.react-flow__node').filter({ hasText: 'Read sheet' })).toBeVisible();
  await expect(page.locator('.react-flow__node').filter({ hasText: 'Wait for approval' })).toBeVisible();
  await page.screenshot({ path: 'test-results/n8n-import-editor.png' });
  // Placeholders arrive only through an import: the palette does not offer one.
  await page.getByLabel('Search nodes').fill('placeholder');
  await expect(page.getByRole('button', { name: 'Add n8n placeholder' })).toHaveCount(0);
  await page.getByLabel('Search nodes').fill('code');
  await expect(page.getByRole('button', { name: 'Add Code' })).toBeVisible();
});
