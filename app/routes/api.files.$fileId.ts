// GET /api/files/:fileId[?download=1]: a file of the caller's workspace (docs/decisions/046-file-values.md). PDFs and
// images are served inline for the run page's preview; everything else, or with `download`, as an attachment. Another
// workspace's file reads as missing.
import { Readable } from 'node:stream';
import { previewKind } from '../../contracts/file-ref';
import { findFile, openFileStream } from '../../db/files';
import { apiHandler } from '../lib/api-route.server';
import { apiError } from '../lib/http.server';

/** `attachment; filename="offer_letter.pdf"; filename*=UTF-8''Offer%20letter.pdf`: a plain fallback, then the real name. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const plain = name.replace(/[^\w.-]+/g, '_');
  return `${kind}; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const handle = apiHandler('/api/files/:fileId', {
  GET: async ({ request, params, caller }) => {
    const id = params.fileId ?? '';
    const file = await findFile(id, caller.scope.workspaceId);
    if (!file) return apiError(404, `File ${id} does not exist (or was deleted with its run).`);
    const preview = new URL(request.url).searchParams.has('download') ? undefined : previewKind(file.mimeType);
    const body = Readable.toWeb(openFileStream(id)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'Content-Type': file.mimeType,
        'Content-Length': String(file.bytes),
        'Content-Disposition': contentDisposition(preview ? 'inline' : 'attachment', file.name),
        // The server adds a script-free policy that lets our pages frame the file (security-headers.server.ts); all
        // but a PDF, whose viewer a sandbox blocks, are sandboxed on top.
        ...(preview === 'pdf' ? {} : { 'Content-Security-Policy': 'sandbox' }),
        'Cache-Control': 'private, no-cache',
      },
    });
  },
});

export const loader = handle;
export const action = handle;
