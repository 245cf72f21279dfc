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

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads and parses a JSON body, refusing more than `limit` bytes while streaming (413) and bad JSON (400).
 * With `optional`, an empty body yields undefined.
 */
export async function readJson(
  request: Request,
  limit = DEFAULT_BODY_LIMIT,
  { optional = false } = {},
): Promise<unknown> {
  const tooLarge = () =>
    apiError(413, `Request body is larger than the ${mb(limit)} limit for ${new URL(request.url).pathname}.`);
  if (Number(request.headers.get('Content-Length') ?? 0) > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (size === 0) {
    if (optional) return undefined;
    throw apiError(400, 'Request body is empty; send a JSON object.');
  }
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
    throw apiError(415, 'Send the request body as JSON with `Content-Type: application/json`.');
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
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
