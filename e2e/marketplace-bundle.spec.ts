// Signed bundles in real Chromium (docs/decisions/070): a publisher workspace's listing page shows who signed it and
// downloads its signed bundle; another workspace refuses a tampered copy of the file with the reason shown, imports
// the real one, and its listing says it was imported and verifies; the publisher revokes the key in its settings
// (after a confirmation saying what that does), and the imported copy stops verifying and the file is refused. The
// version's test fixtures (attached from a real run) travel signed: a copy with a changed fixture is refused, and the
// importing workspace runs the real ones and shows "Verified" (docs/decisions/072).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

async function workspace(page: Page, name: string): Promise<string> {
  const { workspace } = await api<{ workspace: { id: string } }>(page, 'POST', '/api/workspaces', { name });
  return workspace.id;
}
const switchTo = (page: Page, id: string) => api(page, 'POST', `/api/workspaces/${id}/switch`, {});

async function finishedRun(page: Page, workflowId: string): Promise<string> {
  const { runId } = await api<{ runId: string }>(page, 'POST', '/api/runs', { workflowId, version: 1, input: {} });
  await expect
    .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status, {
      timeout: 60_000,
    })
    .toBe('succeeded');
  return runId;
}

async function importFile(page: Page, path: string) {
  await page.goto('/marketplace');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Import bundle' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a signed bundle' });
  await dialog.getByLabel('Bundle file').setInputFiles(path);
  await dialog.getByRole('button', { name: 'Verify and import' }).click();
  return dialog;
}

test('export a signed bundle, refuse a tampered copy, import it elsewhere, then revoke its key', async ({
  page,
}, testInfo) => {
  const stamp = randomUUID().slice(0, 8);
  const title = `Bundle digest ${stamp}`;
  await signIn(page);
  const publisher = await workspace(page, `Publisher ${stamp}`);
  const importer = await workspace(page, `Importer ${stamp}`);

  // The publisher lists a small workflow (setup through the API: this spec is about the bundle).
  await switchTo(page, publisher);
  const workflowId = await createWorkflow(page, title, {
    nodes: [docNode('start', 'manual-trigger', 0, 0), docNode('shape', 'set-fields', 300, 0)],
    edges: [docEdge('start', 'out', 'shape')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`);
  const { listing } = await api<{ listing: { id: string } }>(page, 'POST', '/api/marketplace/listings', {
    workflowId,
    title,
    description: 'A nightly **digest**.',
    category: 'Reports',
    visibility: 'workspace',
    version: '1.0.0',
  });
  const runId = await finishedRun(page, workflowId);
  await api(page, 'POST', `/api/marketplace/listings/${listing.id}/versions/1.0.0/tests/attach`, {
    runId,
    name: 'Shapes the digest',
  });

  // Its listing page names the signer and key, and downloads the signed bundle.
  await page.goto(`/marketplace/${listing.id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const trust = page.getByRole('region', { name: 'Signature' });
  await expect(trust).toContainText('Signature verified');
  await expect(trust).toContainText(`Signed by Publisher ${stamp} (ed25519-`);
  await expect(trust).toContainText('Active key');
  await page.screenshot({ path: testInfo.outputPath('trust-publisher.png'), fullPage: true });
  const download = page.waitForEvent('download');
  await trust.getByRole('link', { name: 'Download signed bundle' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`bundle-digest-${stamp}-1.0.0.baton.json`);
  const original = testInfo.outputPath(file.suggestedFilename());
  await file.saveAs(original);
  const bundle = JSON.parse(readFileSync(original, 'utf8'));
  expect(bundle).toMatchObject({ format: 'baton-bundle', version: '1.0.0', signerName: `Publisher ${stamp}` });
  expect(bundle.tests).toMatchObject([{ name: 'Shapes the digest' }]);
  const tampered = testInfo.outputPath('tampered.baton.json');
  writeFileSync(tampered, JSON.stringify({ ...bundle, listing: { ...bundle.listing, title: `${title}!` } }));
  const tamperedTests = testInfo.outputPath('tampered-tests.baton.json');
  writeFileSync(tamperedTests, JSON.stringify({ ...bundle, tests: [{ ...bundle.tests[0], trigger: { forged: 1 } }] }));

  // The other workspace refuses the tampered file, saying what changed, and imports the real one.
  await switchTo(page, importer);
  let dialog = await importFile(page, tampered);
  await expect(dialog.getByRole('alert')).toHaveText(
    'This bundle was changed after it was signed: listing.title differs from what was signed.',
  );
  await page.screenshot({ path: testInfo.outputPath('import-tampered.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  dialog = await importFile(page, tamperedTests);
  await expect(dialog.getByRole('alert')).toHaveText(
    'This bundle was changed after it was signed: tests differs from what was signed.',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  dialog = await importFile(page, original);
  await expect(dialog.getByRole('status')).toContainText(`Imported v1.0.0 of ${title} as a listing of this workspace`);
  await page.screenshot({ path: testInfo.outputPath('import-done.png') });
  await dialog.getByRole('link', { name: 'Open listing' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(trust).toContainText('Signature verified');
  await expect(trust).toContainText(`Signed by Publisher ${stamp} (${bundle.keyId}), imported from a bundle`);
  // The fixtures came with it, and pass here in a dry run.
  await expect(trust.getByText('Verified: 1 test passes on this instance')).toBeVisible();
  await expect(trust.getByRole('button', { name: 'Attach tests from a run' })).toHaveCount(0);
  const importedUrl = page.url();
  await page.screenshot({ path: testInfo.outputPath('trust-imported.png'), fullPage: true });

  // The publisher revokes the key in its settings, after a confirmation saying what that does.
  await switchTo(page, publisher);
  await page.goto('/settings/members');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  const keys = page.getByRole('region', { name: 'Publisher keys' });
  await expect(keys.getByRole('row', { name: new RegExp(bundle.keyId) })).toContainText('active');
  await keys.getByRole('button', { name: `Revoke key ${bundle.keyId}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke key ${bundle.keyId}?` });
  await expect(confirm).toContainText('Every listing version this key signed stops verifying');
  await page.screenshot({ path: testInfo.outputPath('revoke-confirm.png') });
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(keys.getByRole('row', { name: new RegExp(bundle.keyId) })).toContainText('revoked');
  await page.screenshot({ path: testInfo.outputPath('publisher-keys.png'), fullPage: true });

  // The imported copy no longer verifies, and the file is refused naming the revoked key.
  await switchTo(page, importer);
  await page.goto(importedUrl);
  await expect(trust).toContainText('Not verified');
  await expect(trust).toContainText('Revoked key');
  await expect(trust).toContainText(`Signing key ${bundle.keyId} was revoked on`);
  await expect(trust.getByText('Tests not signed')).toBeVisible();
  await expect(trust.getByText(/^Verified:/)).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('trust-revoked.png'), fullPage: true });
  dialog = await importFile(page, original);
  await expect(dialog.getByRole('alert')).toContainText(
    `This bundle is signed by key ${bundle.keyId} ("Publisher ${stamp}"), which was revoked here on`,
  );
});
