// POST /api/files?name=<file name>: uploads the body as a file of the caller's workspace (an inspector's File field,
// a DOCX template). The body is the file's bytes; its Content-Type is the file's type. Answers 201 with the signed
// reference a param holds. Uploads belong to no run, so run retention keeps them.
import { saveFile } from '../../db/files';
import { apiHandler } from '../lib/api-route.server';
import { json, readBodyUpTo, tooLarge } from '../lib/http.server';

const UPLOAD_LIMIT = 25 * 1024 * 1024;

const handle = apiHandler('/api/files', {
  POST: async ({ request, caller }) => {
    const body = await readBodyUpTo(request, UPLOAD_LIMIT);
    if (!body) return tooLarge(`The file is larger than the ${UPLOAD_LIMIT / 1024 / 1024} MB upload limit.`);
    const name = new URL(request.url).searchParams.get('name') || 'upload';
    const file = await saveFile(Buffer.from(body), {
      workspaceId: caller.scope.workspaceId,
      name,
      mimeType: request.headers.get('Content-Type') ?? '',
      uploadedBy: caller.user.id,
    });
    return json({ file }, 201);
  },
});

export const loader = handle;
export const action = handle;
