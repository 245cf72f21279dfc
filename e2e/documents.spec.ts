// Files as values in real Chromium (docs/decisions/046-file-values.md): a DOCX template is uploaded through the Fill
// DOCX template node's File field, a run fills it and builds a PDF, and both the editor's run panel and the run page
// show the PDF as a file card (name, type, size, download) with an inline preview from the authenticated file route.
import { Document, Packer, Paragraph } from 'docx';
import { expect, test } from '@playwright/test';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

const named = <T extends object>(name: string, node: T) => ({ ...node, name });

test('a template uploaded in the inspector becomes a DOCX and a PDF the run shows, downloads and previews', async ({
  page,
  playwright,
}) => {
  await signIn(page);
  const name = `Offer letters ${Date.now()}`;
  const workflowId = await createWorkflow(page, name, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200, { samplePayload: { name: 'Ada Lovelace', role: 'Analyst' } }),
      docNode('Letter', 'docx-template', 380, 200, { data: '{{ $input }}', fileName: 'Offer - {{ $input.name }}' }),
      named(
        'Offer PDF',
        docNode('pdf', 'pdf-create', 680, 200, {
          title: 'Offer for {{ $trigger.name }}',
          content: '{{ [{ "heading": "Offer for " & $trigger.name }, "You join us as " & $trigger.role & "."] }}',
          fileName: 'Offer - {{ $trigger.name }}.pdf',
          pageSize: 'A4',
        }),
      ),
    ],
    edges: [docEdge('Start', 'out', 'Letter'), docEdge('Letter', 'out', 'pdf')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });

  // Upload the template through the File field.
  await nodeCard(page, 'Letter').click();
  const field = page.locator('[data-param="template"]');
  await expect(field.getByRole('button', { name: 'Upload… Template' })).toBeVisible();
  const template = await Packer.toBuffer(
    new Document({
      sections: [{ children: [new Paragraph('Dear {name},'), new Paragraph('You join us as {role}.')] }],
    }),
  );
  await field.getByLabel('Template: choose a file').setInputFiles({
    name: 'offer-template.docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    buffer: template,
  });
  await expect(field.getByTestId('file-param-current')).toContainText('offer-template.docx');
  await expect(field.getByRole('button', { name: 'Replace… Template' })).toBeVisible();
  await page.screenshot({ path: 'test-results/documents-template-uploaded.png' });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  const runId = await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await nodeCard(page, 'Letter').click();
  const docxCard = runPanel(page).detail.getByRole('figure', { name: 'File Offer - Ada Lovelace.docx' });
  await expect(docxCard).toContainText('Word document');
  await expect(docxCard.getByRole('button', { name: /Preview/ })).toHaveCount(0); // Word files download only
  await nodeCard(page, 'Offer PDF').click();
  const pdfCard = runPanel(page).detail.getByRole('figure', { name: 'File Offer - Ada Lovelace.pdf' });
  await expect(pdfCard.getByTestId('file-card-meta')).toHaveText(/^PDF · \d+ (B|KB)$/);
  await expect(pdfCard.locator('iframe[title="Preview of Offer - Ada Lovelace.pdf"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/documents-run-panel.png' });

  // The run page: the same card on the node detail; the download is the PDF, the preview is served inline.
  await page.goto(`/runs/${runId}`);
  await page.getByRole('region', { name: 'Timeline' }).locator('[data-node-name="Offer PDF"]').click();
  const detail = page.getByRole('region', { name: 'Node detail' });
  const card = detail.getByRole('figure', { name: 'File Offer - Ada Lovelace.pdf' });
  await expect(card).toBeVisible();
  const preview = card.locator('iframe');
  await expect(preview).toBeVisible();
  // Chromium's PDF viewer opened inside the preview frame (a frame refused by X-Frame-Options or CSP shows an error
  // page instead, and holds no viewer).
  const viewerInPreview = () =>
    page
      .frames()
      .some((f) => f.url().startsWith('chrome-extension://') && f.parentFrame()?.url().includes('/api/files/'));
  await expect.poll(viewerInPreview).toBe(true);
  await page.screenshot({ path: 'test-results/documents-run-page.png', fullPage: true });

  const download = await page.request.get((await card.getByRole('link', { name: 'Download' }).getAttribute('href'))!);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="Offer_-_Ada_Lovelace.pdf"/);
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
  const inline = await page.request.get((await preview.getAttribute('src'))!);
  expect(inline.headers()['content-type']).toBe('application/pdf');
  expect(inline.headers()['content-disposition']).toMatch(/^inline;/);
  expect(inline.headers()['x-frame-options']).toBe('SAMEORIGIN'); // the run page may frame it, nobody else
  // Signed out, the same file is refused.
  const stranger = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  expect((await stranger.get((await preview.getAttribute('src'))!)).status()).toBe(401);
  await stranger.dispose();
});
