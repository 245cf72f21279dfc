// The HTTP request node's Response "File" mode in real Chromium (docs/decisions/052): the inspector offers the mode
// and its File name field, and a run that downloads a PDF from a loopback server shows it on the run panel as a file
// card with an inline preview, like the files document nodes make.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

let server: Server;
let base = '';
test.beforeAll(async () => {
  const pdf = await PDFDocument.create();
  pdf
    .addPage()
    .drawText('Offer for Ada', { x: 50, y: 700, size: 24, font: await pdf.embedFont(StandardFonts.Helvetica) });
  const bytes = Buffer.from(await pdf.save());
  server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-disposition': 'attachment; filename="Offer - Ada.pdf"',
    });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a PDF downloaded as a file shows on the run panel as a file card with a preview', async ({ page }) => {
  await signIn(page);
  const workflowId = await createWorkflow(page, `Contract download ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Download', 'http-request', 380, 200, { url: `${base}/contracts/latest`, response: 'file' }),
    ],
    edges: [docEdge('Start', 'out', 'Download')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });

  await nodeCard(page, 'Download').click();
  await page.locator('[data-param="fileName"]').scrollIntoViewIfNeeded();
  await expect(page.locator('[data-param="response"]')).toBeVisible();
  await expect(page.locator('[data-param="fileName"]')).toBeVisible(); // shown for File only
  await page.screenshot({ path: 'test-results/http-response-file-inspector.png' });

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  await nodeCard(page, 'Download').click();
  const card = runPanel(page).detail.getByRole('figure', { name: 'File Offer - Ada.pdf' });
  await expect(card.getByTestId('file-card-meta')).toHaveText(/^PDF · \d+ (B|KB)$/);
  await expect(card.locator('iframe[title="Preview of Offer - Ada.pdf"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/http-response-file-run-panel.png' });
});
