// JSON API plumbing: one error shape (`{ error: { message, diagnostics? } }`) and size-limited body reading.
import type { z } from 'zod';
import type { Diagnostic } from '../../ir/types';

export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;
// Workflow saves get more room so that an oversized param reaches the schema, which names node and field.
export const DOCUMENT_BODY_LIMIT = 8 * 1024 * 1024;

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export function apiError(
  status: number,
  message: string,
  diagnostics?: Diagnostic[],
  extra?: Record<string, unknown>,
): Response {
  return json({ error: { message, ...(diagnostics ? { diagnostics } : {}), ...extra } }, status);
}

export function methodNotAllowed(request: Request, allowed: string[]): Response {
  return new Response(
    JSON.stringify({ error: { message: `${request.method} is not supported here; use ${allowed.join(' or ')}.` } }),
    {
      status: 405,
      headers: { 'Content-Type': 'application/json; charset=utf-8', Allow: allowed.join(', ') },
    },
  );
}

/**
 * The 413 for a body refused past its limit: JSON for the API, plain text for a page's form. The rest of the body
 * stays unread, so this connection cannot carry another request: say so, or a keep-alive client sends its next
 * request on a socket the server is about to reset.
 */
export function tooLarge(message: string, as: 'json' | 'text' = 'json'): Response {
  const refused =
    as === 'json'
      ? apiError(413, message)
      : new Response(message, { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  refused.headers.set('Connection', 'close');
  return refused;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * The whole body, or undefined as soon as it passes `limit` bytes: a declared Content-Length over the limit is
 * refused before reading, and a streamed body is read only up to the limit, so memory never holds more.
 */
export async function readBodyUpTo(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (Number(request.headers.get('Content-Length') ?? 0) > limit) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop reading, but do not cancel: cancelling destroys the socket before the 413 can be sent. The rest
      // stays unread under TCP backpressure until the client gives up or Node's request timeout closes it.
      reader.releaseLock();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * Reads and parses a JSON body, refusing more than `limit` bytes while streaming (413) and bad JSON (400).
 * With `optional`, an empty body yields undefined.
 */
export async function readJson(
  request: Request,
  limit = DEFAULT_BODY_LIMIT,
  { optional = false } = {},
): Promise<unknown> {
  const body = await readBodyUpTo(request, limit);
  if (!body) throw tooLarge(`Request body is larger than the ${mb(limit)} limit for ${new URL(request.url).pathname}.`);
  if (body.byteLength === 0) {
    if (optional) return undefined;
    throw apiError(400, 'Request body is empty; send a JSON object.');
  }
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
    throw apiError(415, 'Send the request body as JSON with `Content-Type: application/json`.');
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw apiError(400, `Request body is not valid JSON: ${(err as Error).message}.`);
  }
}

/** Validates with zod; failures become 400 naming every offending field. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  throw apiError(400, `Invalid request: ${problems.join('; ')}.`);
}

export async function readJsonWith<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  limit?: number,
): Promise<z.output<S>> {
  return parseWith(schema, await readJson(request, limit));
}
