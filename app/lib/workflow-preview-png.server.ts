// The workflow preview as a PNG (docs/decisions/064), for places that take no SVG (Open Graph cards): the picture from
// ir/preview, drawn by headless Chromium. Meant for publish time, not per request: a browser start costs a second.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../nodes/browser/chromium-launch';
import { PREVIEW_SIZES, renderWorkflowPreviewSvg, svgDataUrl, type PreviewOptions } from '../../ir/preview/render-svg';

export async function renderPreviewPng(document: unknown, options: PreviewOptions = {}): Promise<Buffer> {
  const { width, height } = PREVIEW_SIZES[options.size ?? 'large'];
  const svg = renderWorkflowPreviewSvg(document, options);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    // No script and no network: the page is one <img> of a data URL.
    const context = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(
      `<body style="margin:0"><img src="${svgDataUrl(svg)}" width="${width}" height="${height}" style="display:block"></body>`,
      { waitUntil: 'load' },
    );
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
  } finally {
    await browser.close();
  }
}
