// The PNG preview, drawn by the real Chromium: a PNG of the picture's size whose pixels are the canvas, not blank.
import { inflateSync } from 'node:zlib';
import { renderPreviewPng } from './workflow-preview-png.server';

/** Width, height and the decompressed (still filtered) scanlines of a PNG, read by hand (no image library here). */
function readPng(png: Buffer) {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const chunks: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') chunks.push(data);
    at += 12 + length;
  }
  return { width, height, raw: inflateSync(Buffer.concat(chunks)) };
}

test('renders the workflow picture as a PNG of the requested size, with the canvas drawn', async () => {
  const document = {
    nodes: [
      { id: 'a', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} },
      { id: 'b', type: 'set-fields', version: 1, name: 'Next', position: { x: 300, y: 0 }, params: {} },
    ],
    edges: [{ id: 'e', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }],
  };
  const png = readPng(await renderPreviewPng(document, { size: 'small' }));
  expect({ width: png.width, height: png.height }).toEqual({ width: 400, height: 210 });
  // Scanlines are stored filtered (as deltas): a blank picture is nearly all zeros, a drawn one holds many values.
  const distinct = new Set(png.raw);
  expect(distinct.size).toBeGreaterThan(50);
}, 60_000);
