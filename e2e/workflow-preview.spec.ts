// Workflow preview pictures in real Chromium (docs/decisions/064): every template gallery card shows its graph's
// thumbnail, decoded by the browser; the preview API serves a workflow's current graph as an SVG whose hostile node
// name stays text.
import { expect, test } from '@playwright/test';
import { createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 120_000 });

test('gallery cards show their template’s canvas thumbnail', async ({ page }, testInfo) => {
  await signIn(page);
  await page.goto('/templates');
  const cards = page
    .getByRole('list', { name: 'Templates' })
    .getByRole('listitem')
    .filter({ has: page.locator('h2') });
  await expect(cards.first()).toBeVisible();
  const images = page.locator('img.template-card-preview');
  await expect(images).toHaveCount(await cards.count());
  const decoded = await images.evaluateAll((imgs) =>
    Promise.all(
      (imgs as HTMLImageElement[]).map(async (img) => {
        await img.decode();
        return { svg: img.src.startsWith('data:image/svg+xml;'), width: img.naturalWidth };
      }),
    ),
  );
  for (const image of decoded) expect(image).toEqual({ svg: true, width: 400 });
  await page.screenshot({ path: testInfo.outputPath('gallery-previews.png'), fullPage: true });
});

test('the preview API draws the current graph, hostile names as text', async ({ page }, testInfo) => {
  await signIn(page);
  const hostile = '</text><script>alert(1)</script>';
  const id = await createWorkflow(page, `Preview ${Date.now()}`, {
    nodes: [
      docNode('start', 'manual-trigger', 0, 0),
      { ...docNode('check', 'if', 300, 0), name: hostile },
      docNode('done', 'set-fields', 600, 0),
    ],
    edges: [docEdge('start', 'out', 'check'), docEdge('check', 'true', 'done')],
  });
  const res = await page.request.get(`/api/workflows/${id}/preview?size=small`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
  const svg = await res.text();
  expect(svg).toContain('&lt;/text&gt;&lt;script');
  expect(svg).not.toContain('<script');

  // Opened directly, the picture renders and nothing in it runs.
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/api/workflows/${id}/preview`);
  await expect(page.locator('svg text').filter({ hasText: '</text><script>' })).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('preview-api.png') });
  expect(dialogs).toEqual([]);
});
