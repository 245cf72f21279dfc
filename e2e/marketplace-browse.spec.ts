// The marketplace in real Chromium (docs/decisions/068): the official listings seeded from templates/ are browsed,
// searched and filtered, and a listing's page shows its manifest and versions; publishing from the editor refuses a
// wrong semver at the Version field, then lists the workflow, whose description's <script> shows as text and never
// runs; a later version is offered as the next minor. A missing listing is a 404 page.
import { expect, test, type Page } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

const results = (page: Page) => page.getByRole('list', { name: 'Listings' });

test('browse, search and filter the official listings, then open one', async ({ page }, testInfo) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Marketplace', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Marketplace', level: 1 })).toBeVisible();
  for (const title of ['HR onboarding', 'PTO request', 'Invoice approval', 'Employee offboarding'])
    await expect(results(page).getByRole('link', { name: title })).toBeVisible();
  await expect(results(page).locator('img.listing-card-preview').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('marketplace-browse.png'), fullPage: true });

  // "/" focuses the search box; a word finds the listing by its tags and description.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  const search = page.getByLabel('Search the marketplace');
  await expect(search).toBeFocused();
  await page.keyboard.type('offboard');
  await expect(page).toHaveURL(/[?&]q=offboard/);
  await expect(results(page).getByRole('link', { name: 'Employee offboarding' })).toBeVisible();
  await expect(results(page).getByRole('link', { name: 'PTO request' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('marketplace-search.png'), fullPage: true });

  // Filters: a category, then a search that matches nothing, then clearing them.
  await search.fill('');
  await expect(page).not.toHaveURL(/[?&]q=/);
  await page.getByRole('combobox', { name: 'Category' }).selectOption('Finance');
  await expect(results(page).getByRole('link')).toHaveCount(1);
  await expect(results(page).getByRole('link', { name: 'Invoice approval' })).toBeVisible();
  await search.fill('zebra quartz');
  await expect(page.getByRole('heading', { name: 'No listing matches' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('marketplace-no-match.png'), fullPage: true });
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(search).toHaveValue('');
  await expect(results(page).getByRole('link', { name: 'PTO request' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Permission' }).selectOption('email');
  await expect(results(page).getByRole('link', { name: 'PTO request' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Permission' }).selectOption('');

  // The listing page: title, publisher, preview, description, manifest, versions.
  await results(page).getByRole('link', { name: 'PTO request' }).click();
  await expect(page.getByRole('heading', { name: 'PTO request', level: 1 })).toBeVisible();
  await expect(page.locator('.listing-byline')).toContainText('by Baton');
  await expect(page.getByRole('img', { name: 'Graph of PTO request' })).toBeVisible();
  const manifest = page.getByRole('region', { name: 'What it needs' });
  await expect(manifest).toContainText('Form trigger');
  await expect(manifest).toContainText('Sends email');
  await expect(page.getByRole('region', { name: 'Versions' })).toContainText('v1.0.0');
  await expect(page.getByRole('article', { name: 'About this workflow' })).toContainText('Time off without');
  await page.screenshot({ path: testInfo.outputPath('marketplace-listing.png'), fullPage: true });

  const missing = await page.goto('/marketplace/lst_no_such_listing');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Listing not found' })).toBeVisible();
});

test('publish from the editor: a wrong semver at its field, then the listing, its script shown as text', async ({
  page,
}, testInfo) => {
  await signIn(page);
  const scripts: string[] = [];
  page.on('dialog', (d) => {
    scripts.push(d.message());
    void d.dismiss();
  });
  const name = `Nightly digest ${Date.now()}`;
  const id = await createWorkflow(page, name, {
    nodes: [docNode('start', 'manual-trigger', 0, 0), docNode('shape', 'set-fields', 300, 0)],
    edges: [docEdge('start', 'out', 'shape')],
  });

  // Without a published version the dialog says to publish first.
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Publish to marketplace' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish to marketplace' });
  await expect(dialog).toContainText('has no published version yet');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await api(page, 'POST', `/api/workflows/${id}/publish`);
  await page.getByRole('button', { name: 'Publish to marketplace' }).click();
  await expect(dialog.getByLabel('Title')).toHaveValue(name);
  await dialog
    .getByLabel('Description', { exact: true })
    .fill('Sends a **nightly** digest.\n\n<script>window.__pwned = 1; alert("pwned")</script>');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByLabel('Description preview').locator('strong')).toHaveText('nightly');
  await dialog.getByRole('button', { name: 'Write' }).click();
  await dialog.getByLabel('Category').fill('Reports');
  await dialog.getByLabel('Tags').fill('digest, nightly');
  await dialog.getByLabel('Version').fill('1.0');
  await dialog.getByRole('button', { name: 'Publish listing' }).click();
  await expect(dialog.getByLabel('Version')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('alert')).toHaveText('Version "1.0" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)');
  await page.screenshot({ path: testInfo.outputPath('publish-wrong-semver.png') });

  await dialog.getByLabel('Version').fill('1.0.0');
  await expect(dialog.getByLabel('Version')).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Publish listing' }).click();
  await expect(dialog).toContainText('as version 1.0.0');
  await page.screenshot({ path: testInfo.outputPath('publish-done.png') });
  await dialog.getByRole('link', { name: 'Open the listing' }).click();

  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const about = page.getByRole('article', { name: 'About this workflow' });
  await expect(about).toContainText('<script>window.__pwned = 1; alert("pwned")</script>');
  await expect(about.locator('strong')).toHaveText('nightly');
  await expect(about.locator('script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.screenshot({ path: testInfo.outputPath('listing-sanitized.png'), fullPage: true });

  // It is found by search, and the next publish is a new version, the next minor suggested.
  await page.goto('/marketplace?q=digest');
  await expect(results(page).getByRole('link', { name })).toBeVisible();
  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page.getByRole('button', { name: 'Publish to marketplace' }).click();
  await expect(dialog).toContainText('A new version of');
  await expect(dialog.getByLabel('Version')).toHaveValue('1.1.0');
  await dialog.getByLabel('Version').fill('1.0.0');
  await dialog.getByRole('button', { name: 'Publish v1.0.0' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(`Version 1.0.0 of "${name}" already exists.`);
  await dialog.getByLabel('Version').fill('1.1.0');
  await dialog.getByLabel('Changelog').fill('Adds a **weekly** summary.');
  await dialog.getByRole('button', { name: 'Publish v1.1.0' }).click();
  await expect(dialog).toContainText('as version 1.1.0');
  await dialog.getByRole('link', { name: 'Open the listing' }).click();
  const versions = page.getByRole('region', { name: 'Versions' });
  await expect(versions).toContainText('v1.1.0');
  await expect(versions.locator('strong', { hasText: 'weekly' })).toBeVisible();
  expect(scripts).toEqual([]);
});
