// The template gallery in real Chromium (docs/decisions/051-templates.md): "/" focuses the search, a search with no
// match shows the empty state, a search and a category chip narrow the cards; HR onboarding's page shows its README
// and the read-only preview of its graph; the wizard refuses a missing setting naming it, creates an SMTP credential
// inline, names a new IT equipment table (the server creates it with the workflow), and lands in the editor with the
// new credential set on the email node and the new table on the IT tasks node.
import { expect, test } from '@playwright/test';
import { api } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 240_000 });

test('find HR onboarding in the gallery, preview it and use it with a new credential', async ({ page }, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await signIn(page);
  const stamp = Date.now();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
  await expect(page.getByRole('heading', { name: 'Templates', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const cards = page
    .getByRole('list', { name: 'Templates' })
    .getByRole('listitem')
    .filter({ has: page.locator('h2') });
  await expect(cards.first()).toBeVisible();
  const total = await cards.count();
  expect(total).toBeGreaterThan(1);
  await shot('gallery');

  const search = page.getByRole('searchbox', { name: 'Search templates' });
  await page.locator('body').press('/');
  await expect(search).toBeFocused();
  await search.fill('no template is called this');
  await expect(page.getByRole('heading', { name: 'No template matches' })).toBeVisible();
  await shot('gallery-empty');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(cards).toHaveCount(total);

  await search.fill('offer letter');
  await expect(cards.filter({ hasText: 'HR onboarding' })).toBeVisible();
  const hrChip = page.getByRole('group', { name: 'Category' }).getByRole('button', { name: /^HR \d+$/ });
  await hrChip.click();
  await expect(hrChip).toHaveAttribute('aria-pressed', 'true');
  await expect(cards.filter({ hasNotText: /^HR/ })).toHaveCount(0);
  const card = cards.filter({ hasText: 'HR onboarding' });
  await expect(card).toContainText('SMTP');
  await shot('gallery-filtered');

  await card.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'HR onboarding', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const preview = page.getByTestId('template-preview');
  await expect(preview.locator('[data-testid="workflow-node"]').first()).toBeVisible();
  await expect(nodeCard(page, 'Welcome email')).toBeVisible();
  await expect(page.getByRole('article', { name: 'About this template' })).toContainText('node');
  await shot('template-page');

  await page.getByRole('button', { name: 'Use template' }).click();
  const wizard = page.getByRole('region', { name: 'Use “HR onboarding”' });
  await expect(wizard.getByRole('heading', { name: /Step 1 of \d: Settings/ })).toBeVisible();
  // A required setting left empty is refused under its field, naming it.
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('Input "hrDirectorEmail" (HR director email) is required.')).toBeVisible();
  await shot('wizard-inputs-error');
  await wizard.getByLabel(/HR director email/).fill('director@acme.test');
  await wizard.getByLabel(/HR team email/).fill('hr@acme.test');
  await wizard.getByLabel(/IT email/).fill('it@acme.test');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByRole('heading', { name: /Credentials/ })).toBeVisible();
  const credentialName = `Acme mail ${stamp}`;
  await wizard.getByRole('button', { name: 'New SMTP…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(credentialName);
  await dialog.getByLabel('Host').fill('127.0.0.1');
  await dialog.getByLabel('Port').fill('1025');
  await shot('wizard-new-credential');
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    wizard
      .getByLabel(/Mail server|SMTP/)
      .first()
      .locator('option:checked'),
  ).toHaveText(credentialName);
  await shot('wizard-credentials');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByRole('heading', { name: /Data tables/ })).toBeVisible();
  await wizard.getByLabel(/Name of the new table/).fill(`IT equipment ${stamp}`);
  await shot('wizard-tables');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await expect(wizard.getByRole('heading', { name: /Create/ })).toBeVisible();
  await wizard.getByLabel('Workflow name').fill(`Onboarding ${stamp}`);
  await shot('wizard-create');
  await wizard.getByRole('button', { name: 'Create workflow' }).click();

  await page.waitForURL(/\/workflows\/[a-f0-9]{24}$/);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const workflowId = new URL(page.url()).pathname.split('/').pop()!;
  const { workflow } = await api<{
    workflow: { document: { nodes: Array<{ id: string; params: { table?: string } }> } };
  }>(page, 'GET', `/api/workflows/${workflowId}`);
  const { tables } = await api<{ tables: Array<{ id: string; name: string }> }>(page, 'GET', '/api/data-tables');
  const tableId = workflow.document.nodes.find((n) => n.id === 'itTasks')?.params.table;
  expect(tables.find((t) => t.id === tableId)?.name).toBe(`IT equipment ${stamp}`);
  await nodeCard(page, 'Welcome email').click();
  const picker = page.getByLabel('SMTP credential', { exact: true });
  await expect(picker.locator('option:checked')).toHaveText(credentialName);
  await shot('editor-from-template');
});
