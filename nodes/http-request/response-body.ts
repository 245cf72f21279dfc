// Reads a response body: decompressed, capped (after decompression, so a small gzip bomb cannot fill memory),
// then parsed as JSON when the response says it is JSON.
import type { IncomingMessage } from 'node:http';
import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { NodeError } from '../errors';

export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Requests offer the encodings `decoded` can undo. */
export const ACCEPT_ENCODING = Object.keys(DECODERS).join(', ');

function hasBody(response: IncomingMessage, method: string): boolean {
  return method !== 'HEAD' && response.statusCode !== 204 && response.statusCode !== 304;
}

function decoded(response: IncomingMessage, method: string): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase() ?? '';
  const decoder = DECODERS[encoding];
  if (!decoder || !hasBody(response, method) || response.headers['content-length'] === '0') return response;
  // Errors on either side surface on the returned stream.
  return pipeline(response, decoder(), () => undefined);
}

function tooLarge(url: string): NodeError {
  return new NodeError(`Response from ${url} is larger than the ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB limit`, {
    code: 'response-too-large',
    retryable: false,
  });
}

/** The body bytes; `url` (already free of secrets) names the response in errors. */
export async function readCapped(
  response: IncomingMessage,
  method: string,
  url: string,
  signal: AbortSignal,
): Promise<Buffer> {
  if (Number(response.headers['content-length'] ?? 0) > MAX_RESPONSE_BYTES) {
    response.destroy();
    throw tooLarge(url);
  }
  const body = addAbortSignal(signal, decoded(response, method));
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      response.destroy();
      throw tooLarge(url);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

export function parseBody(bytes: Buffer, contentType: string | undefined, url: string): unknown {
  const text = new TextDecoder().decode(bytes); // drops a byte order mark, which JSON.parse rejects
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '')) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new NodeError(`Response from ${url} says it is JSON (${contentType}) but is not valid JSON`, {
      code: 'http-body',
      retryable: false,
    });
  }
}
