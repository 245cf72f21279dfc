import type { NodeRunner } from '../define';
import { NodeError } from '../errors';
import type { spec } from './spec';

export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The URL as it may appear in errors and logs: no credentials, query or fragment (they often carry tokens). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

function requestBody(bodyType: 'none' | 'json' | 'text', body: unknown): { body?: string; contentType?: string } {
  if (bodyType === 'none' || body === undefined) return {};
  if (bodyType === 'json') return { body: JSON.stringify(body), contentType: 'application/json' };
  return { body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'text/plain; charset=utf-8' };
}

async function readCapped(res: Response, url: string): Promise<Uint8Array> {
  const tooLarge = () =>
    new NodeError(`Response from ${url} is larger than the ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB limit`, {
      code: 'response-too-large',
      retryable: false,
    });
  if (Number(res.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function parseBody(bytes: Uint8Array, contentType: string | null, url: string): unknown {
  const text = new TextDecoder().decode(bytes);
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

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const url = safeUrl(params.url);
  const headers = new Headers(params.headers);
  headers.set('Idempotency-Key', ctx.idempotencyKey);
  const { body, contentType } = requestBody(params.bodyType, params.body);
  if (body !== undefined && (params.method === 'GET' || params.method === 'HEAD')) {
    throw new NodeError(
      `HTTP request: a ${params.method} request cannot have a body; set Body to None or change the method`,
      {
        code: 'param-invalid',
        retryable: false,
      },
    );
  }
  if (contentType && !headers.has('content-type')) headers.set('Content-Type', contentType);

  const timeout = AbortSignal.timeout(params.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const res = await fetch(params.url, { method: params.method, headers, body, signal });
    if (!res.ok && params.failOnHttpError) {
      await res.body?.cancel();
      throw new NodeError(`HTTP ${res.status} ${res.statusText} from ${params.method} ${url}`, {
        code: 'http-status',
        retryable: res.status >= 500 || res.status === 429 || res.status === 408,
      });
    }
    const bytes = await readCapped(res, url);
    return {
      status: res.status,
      statusText: res.statusText,
      headers: Object.fromEntries(res.headers),
      body: parseBody(bytes, res.headers.get('content-type'), url),
    };
  } catch (err) {
    if (err instanceof NodeError) throw err;
    if (timeout.aborted && !ctx.signal.aborted) {
      throw new NodeError(`HTTP request to ${url} timed out after ${params.timeoutMs} ms`, { code: 'timeout' });
    }
    if (ctx.signal.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new NodeError(`HTTP request to ${url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`, {
      code: 'http-network',
    });
  }
};
