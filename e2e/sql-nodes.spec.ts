// SQL nodes in real Chromium: a PostgreSQL credential passes "Test connection" by logging in to the test server, the
// palette offers the PostgreSQL, MySQL and SQLite nodes, the inspector shows the fields of the chosen operation, and
// a run inserts the row that is then read back from PostgreSQL.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { postgresTestDatabase, type TestDatabase } from '../test/sql-servers';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

let db: TestDatabase;
test.beforeAll(async () => {
  db = await postgresTestDatabase('e2e_sql');
  await db.sql('CREATE TABLE employees (id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text)');
});
test.afterAll(async () => {
  await db?.drop();
});

test('a PostgreSQL credential, the SQL nodes in the editor, and a run that inserts a row', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  const name = `HR database ${randomUUID().slice(0, 8)}`;

  await page.goto('/credentials');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: /New credential|Add your first credential/ }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption({ label: 'PostgreSQL' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByLabel('Host').fill(db.credential.host);
  await dialog.getByLabel('Port').fill(String(db.credential.port));
  await dialog.getByLabel('Database').fill(db.credential.database);
  await dialog.getByLabel('User').fill(db.credential.user);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    `Logged in to PostgreSQL at ${db.credential.host}:${db.credential.port}/${db.credential.database}`,
  );
  await page.screenshot({ path: testInfo.outputPath('postgres-credential.png') });
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('PostgreSQL');

  const id = await createWorkflow(page, 'New hire in the HR database', {
    nodes: [
      docNode('trigger', 'manual-trigger', 100, 200),
      docNode('record', 'postgres', 400, 200, {
        operation: 'insert',
        table: 'employees',
        values: { email: 'ada@acme.test', name: "Ada O'Brien" },
      }),
    ],
    edges: [docEdge('trigger', 'out', 'record')],
  });
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByLabel('Search nodes').fill('sql');
  for (const title of ['PostgreSQL', 'MySQL / MariaDB', 'SQLite'])
    await expect(page.getByRole('button', { name: `Add ${title}` })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('palette-sql.png') });

  await nodeCard(page, 'record').click();
  const operation = page.getByLabel('Operation');
  await expect(operation).toHaveValue('insert');
  await expect(page.getByLabel('Table', { exact: true })).toHaveValue('employees');
  await expect(page.getByLabel('Conflict columns')).toHaveCount(0);
  await operation.selectOption('upsert');
  await expect(page.getByLabel('Conflict columns')).toBeVisible();
  await operation.selectOption('query');
  await expect(page.getByLabel('Query', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Table', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Query parameters', { exact: true })).toBeVisible();
  await operation.selectOption('select');
  await expect(page.getByLabel('Columns to return')).toBeVisible();
  await expect(page.getByText('Order by', { exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('postgres-inspector-select.png'), fullPage: true });
  await operation.selectOption('insert');
  await page.getByLabel('PostgreSQL credential').selectOption({ label: name });
  await page.screenshot({ path: testInfo.outputPath('postgres-inspector-insert.png'), fullPage: true });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('postgres-run.png') });
  expect(await db.sql('SELECT email, name FROM employees')).toEqual([{ email: 'ada@acme.test', name: "Ada O'Brien" }]);
});
