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

function tooLarge(url: string, what: string): NodeError {
  return new NodeError(`${what} from ${url} is larger than the ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB limit`, {
    code: 'response-too-large',
    retryable: false,
  });
}

/**
 * The body's chunks as they arrive, decompressed; throws once they pass MAX_RESPONSE_BYTES (or the declared length
 * does). `url` (already free of secrets) and `what` ("Response", or a sentence naming the node) word the error.
 */
export async function* cappedChunks(
  response: IncomingMessage,
  method: string,
  url: string,
  signal: AbortSignal,
  what = 'Response',
): AsyncGenerator<Buffer> {
  if (Number(response.headers['content-length'] ?? 0) > MAX_RESPONSE_BYTES) {
    response.destroy();
    throw tooLarge(url, what);
  }
  const body = addAbortSignal(signal, decoded(response, method));
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > MAX_RESPONSE_BYTES) throw tooLarge(url, what);
      yield chunk;
    }
  } finally {
    if (!response.complete) response.destroy(); // stopped early (too large, or the consumer gave up)
  }
}

/** The body bytes; `url` (already free of secrets) names the response in errors. */
export async function readCapped(
  response: IncomingMessage,
  method: string,
  url: string,
  signal: AbortSignal,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of cappedChunks(response, method, url, signal)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The body as JSON when the Response param says so, or (auto) when its Content-Type does; else as text. */
export function parseBody(
  bytes: Buffer,
  contentType: string | undefined,
  url: string,
  format: 'auto' | 'json' | 'text' = 'auto',
): unknown {
  const text = new TextDecoder().decode(bytes); // drops a byte order mark, which JSON.parse rejects
  const json = format === 'json' || (format === 'auto' && /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? ''));
  if (!json) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    const why = format === 'json' ? 'the Response param says JSON' : `it says it is JSON (${contentType})`;
    throw new NodeError(`Response from ${url} is not valid JSON, but ${why}`, {
      code: 'http-body',
      retryable: false,
    });
  }
}
