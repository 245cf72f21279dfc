// The install wizard's credentials step when a node param accepts several credential types (docs/decisions/069), in
// real Chromium: a listing whose HTTP request node takes header, Basic, Bearer or OAuth2 credentials. The picker
// lists the workspace's existing credential of the first type with its type shown; "New credential…" offers the four
// types, the person picks the second (Basic auth), sees its fields and creates it; the install lands in the editor
// with the HTTP node pointing at the new Basic auth credential.
import { expect, test } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 240_000 });

test('install a listing whose HTTP node accepts several credential types with a new credential of the second type', async ({
  page,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  await signIn(page);
  const stamp = Date.now().toString(36);
  const title = `API sync ${stamp}`;
  const headerName = `Header key ${stamp}`;
  const { credential: header } = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
    name: headerName,
    type: 'http-header-auth',
    values: { name: 'X-Api-Key', value: 'publisher-secret' },
  });
  const workflowId = await createWorkflow(page, title, {
    nodes: [
      docNode('start', 'manual-trigger', 0, 0),
      {
        ...docNode('fetch', 'http-request', 300, 0, {
          method: 'GET',
          url: 'https://api.example.com/items',
          authentication: 'credential',
          credential: header.id,
        }),
        name: 'Fetch items',
      },
    ],
    edges: [docEdge('start', 'out', 'fetch')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`);
  const { listing } = await api<{ listing: { id: string } }>(page, 'POST', '/api/marketplace/listings', {
    workflowId,
    title,
    description: 'Reads an API with a credential.',
    category: 'Operations',
    visibility: 'instance',
    version: '1.0.0',
  });

  await page.goto(`/marketplace/${listing.id}`);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  const wizard = page.getByRole('dialog', { name: /Install “/ });
  await wizard.getByLabel('I allow these').check();
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('Verified', { exact: true })).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();

  // The picker lists the existing header credential, its type shown; the label shows the four accepted types.
  await expect(wizard.getByRole('heading', { name: /Credentials/ })).toBeVisible();
  const picker = wizard.getByRole('combobox', { name: /Fetch items/ });
  await expect(picker.locator('option')).toContainText([`${headerName} — Header auth`]);
  for (const type of ['Header auth', 'Basic auth', 'Bearer token', 'OAuth2 client credentials'])
    await expect(wizard.locator('label .badge', { hasText: type })).toBeVisible();
  await shot('install-credentials');

  // "New credential…" asks which type; the second one's fields replace the first's.
  await wizard.getByRole('button', { name: 'New credential…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  const type = dialog.getByLabel('Type');
  await expect(type.locator('option')).toHaveText([
    'Header auth',
    'Basic auth',
    'Bearer token',
    'OAuth2 client credentials',
  ]);
  await expect(dialog.getByLabel('Header name')).toBeVisible();
  await type.selectOption({ label: 'Basic auth' });
  await expect(dialog.getByLabel('Header name')).toHaveCount(0);
  const basicName = `Basic login ${stamp}`;
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(basicName);
  await dialog.getByLabel('User name').fill('installer');
  await dialog.getByLabel('Password').fill('installer-secret');
  await shot('install-new-credential');
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(dialog).toBeHidden();
  await expect(picker.locator('option:checked')).toHaveText(`${basicName} — Basic auth`);
  await shot('install-credential-picked');
  await wizard.getByRole('button', { name: 'Next' }).click();

  await wizard.getByLabel('Workflow name').fill(`Installed ${stamp}`);
  await wizard.getByRole('button', { name: 'Install workflow' }).click();
  await page.waitForURL(/\/workflows\/[a-f0-9]{24}$/);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();

  // The installed node points at the new Basic auth credential.
  const { credentials } = await api<{ credentials: Array<{ id: string; name: string }> }>(
    page,
    'GET',
    '/api/credentials?type=basic-auth',
  );
  const basic = credentials.find((c) => c.name === basicName);
  expect(basic).toBeDefined();
  const installedId = new URL(page.url()).pathname.split('/').pop()!;
  const { workflow } = await api<{ workflow: { document: { nodes: Array<{ id: string; params: object }> } } }>(
    page,
    'GET',
    `/api/workflows/${installedId}`,
  );
  expect(workflow.document.nodes.find((n) => n.id === 'fetch')!.params).toMatchObject({ credential: basic!.id });
  await nodeCard(page, 'Fetch items').click();
  await expect(page.getByLabel('Credential', { exact: true }).locator('option:checked')).toHaveText(basicName);
  await shot('editor-installed');
});
