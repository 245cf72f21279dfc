// The Response "File" mode: the body goes into the file store as it arrives (decision 046), capped like every
// response, and the step outputs its signed reference. The file is named by the File name param, else the server's
// Content-Disposition, else the URL's last path segment; its type is the response's Content-Type.
import type { IncomingMessage } from 'node:http';
import type { FileRef } from '../../contracts/file-ref';
import type { RunContext } from '../define';
import { NodeError } from '../errors';
import { cappedChunks } from './response-body';

const FALLBACK_NAME = 'download';

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The file name a Content-Disposition header gives: RFC 6266's `filename*` (UTF-8) first, then `filename`. */
export function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|ISO-8859-1)?'[^']*'([^;\s]+)/i.exec(header);
  const fromExtended = extended && decoded(extended[1]);
  if (fromExtended) return fromExtended;
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  return name?.trim() || undefined;
}

/** The last path segment of `url`, decoded: `/reports/Q3%20summary.pdf` names "Q3 summary.pdf". */
export function urlFileName(url: URL): string | undefined {
  const last = url.pathname.split('/').filter(Boolean).pop();
  return (last && decoded(last)?.trim()) || undefined;
}

export function responseFileName(param: string | undefined, response: IncomingMessage, url: URL): string {
  return (
    param?.trim() || dispositionFileName(response.headers['content-disposition']) || urlFileName(url) || FALLBACK_NAME
  );
}

/** Streams the body of `response` (to `method` at `url`) into the run's file store. */
export async function saveResponseFile(
  ctx: RunContext,
  fileName: string | undefined,
  response: IncomingMessage,
  request: { method: string; url: URL; safeUrl: string },
  signal: AbortSignal,
): Promise<FileRef> {
  const where = `HTTP request node "${ctx.nodeName}"`;
  if (!ctx.files) {
    response.destroy();
    throw new NodeError(`${where}: Response "File" cannot be used here: it needs the file store`, {
      code: 'file-unavailable',
      retryable: false,
    });
  }
  return ctx.files.saveStream({
    name: responseFileName(fileName, response, request.url),
    mimeType: response.headers['content-type'] ?? 'application/octet-stream',
    data: cappedChunks(response, request.method, request.safeUrl, signal, `${where}: the file`),
  });
}
