// The file routes against a real web server (docs/decisions/046-file-values.md): uploads are stored under a clean name
// and type and answered with a signed reference; PDFs and images are served inline, everything else as a script-free,
// sandboxed attachment that only our own pages may frame; oversized uploads and unknown ids are refused.
import { startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack('files_api');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function upload(name: string, type: string, body: string | Buffer) {
  const res = await fetch(`${stack.url}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.token}`, 'Content-Type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { file?: Record<string, unknown>; error?: { message: string } },
  };
}

const get = (path: string) => fetch(`${stack.url}${path}`, { headers: { Authorization: `Bearer ${stack.token}` } });

test('an upload answers with a signed reference under a clean name and type', async () => {
  const { status, body } = await upload('../../Offer\ttemplate.docx', 'application/msword; charset=binary', 'bytes');
  expect(status).toBe(201);
  expect(body.file).toEqual({
    $batonFile: expect.stringMatching(/^[0-9a-f]{24}$/),
    name: '_.._Offer_template.docx',
    mimeType: 'application/msword',
    bytes: 5,
    sig: expect.stringMatching(/^[\w-]{22}$/),
  });
});

test('a PDF is served inline, framable by our pages only; ?download=1 makes it an attachment', async () => {
  const { body } = await upload('Offer – Ada.pdf', 'application/pdf', Buffer.from('%PDF-1.7 test'));
  const id = body.file!.$batonFile as string;
  const inline = await get(`/api/files/${id}`);
  expect(inline.status).toBe(200);
  expect(inline.headers.get('content-type')).toBe('application/pdf');
  expect(inline.headers.get('content-disposition')).toBe(
    `inline; filename="Offer_Ada.pdf"; filename*=UTF-8''${encodeURIComponent('Offer – Ada.pdf')}`,
  );
  expect(inline.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(inline.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
  expect(inline.headers.get('content-security-policy')).not.toContain('script-src');
  expect(await inline.text()).toBe('%PDF-1.7 test');
  const attachment = await get(`/api/files/${id}?download=1`);
  expect(attachment.headers.get('content-disposition')).toMatch(/^attachment; filename="Offer_Ada.pdf"/);
});

test('HTML and SVG never render on our origin: attachments, sandboxed, not sniffed', async () => {
  for (const [name, type] of [
    ['page.html', 'text/html'],
    ['logo.svg', 'image/svg+xml'],
  ]) {
    const { body } = await upload(name, type, '<script>alert(document.cookie)</script>');
    const res = await get(`/api/files/${body.file!.$batonFile as string}`);
    expect({ name, disposition: res.headers.get('content-disposition') }).toEqual({
      name,
      disposition: expect.stringMatching(/^attachment;/),
    });
    expect(res.headers.get('content-security-policy')).toMatch(/\bsandbox\b/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  }
  const png = await upload('photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const image = await get(`/api/files/${png.body.file!.$batonFile as string}`);
  expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
  expect(image.headers.get('content-security-policy')).toMatch(/\bsandbox\b/);
});

test('an upload over 25 MB is refused with the limit; unknown ids are 404', async () => {
  const big = await upload('scan.pdf', 'application/pdf', Buffer.alloc(26 * 1024 * 1024));
  expect(big.status).toBe(413);
  expect(big.body.error?.message).toBe('The file is larger than the 25 MB upload limit.');
  expect((await get('/api/files/0123456789abcdef01234567')).status).toBe(404);
  expect((await get('/api/files/not-an-id')).status).toBe(404);
});
