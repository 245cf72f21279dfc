// How the remote providers turn a failed model call into a ModelCallError the router can act on: the HTTP status and
// the server's own words, the wait a rate limit asked for, and our own timeout told apart from the caller's
// cancellation. Messages name the model and never hold the API key, even when a server echoes it back.
import { errorDetail } from '../../credentials/replies';
import { withoutSecrets } from '../../credentials/secret-scrub';
import { retryAfterSeconds } from '../../retry-after';
import { ModelCallError, type ModelTarget } from './types';

/** The signal a call runs under: the caller's (cancellation) and our own timeout, kept apart to tell which fired. */
export interface CallSignals {
  signal: AbortSignal;
  timeout: AbortSignal;
  caller?: AbortSignal;
}

export function callSignals(target: ModelTarget, caller?: AbortSignal): CallSignals {
  const timeout = AbortSignal.timeout(target.timeoutMs);
  return { signal: caller ? AbortSignal.any([caller, timeout]) : timeout, timeout, caller };
}

/** Header lookup, as fetch's Headers and the SDKs' header objects offer it. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** "1s", "6m0s", "20ms", "1h2m3.5s" (OpenAI's x-ratelimit-reset-* headers) in ms. */
function durationMs(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.ceil(parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0));
}

/** How long a rate-limited server asked us to wait, from the headers each provider documents. */
export function retryAfterMs(headers: HeaderSource, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms)) return ms;
  const seconds = retryAfterSeconds(headers.get('retry-after'), now);
  if (seconds !== undefined) return seconds * 1000;
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const value = headers.get(name);
    const parsed = value ? durationMs(value) : undefined;
    if (parsed !== undefined) return parsed;
  }
  const reset = Date.parse(headers.get('anthropic-ratelimit-requests-reset') ?? '');
  return Number.isNaN(reset) ? undefined : Math.max(0, reset - now);
}

/** What servers say when the prompt does not fit (OpenAI, vLLM, llama.cpp, Ollama, Anthropic). */
const OVERFLOW =
  /context_length_exceeded|maximum context length|context length|context size|context window|too many tokens|prompt is too long|exceed_context_size/i;

export function saysContextOverflow(text: string): boolean {
  return OVERFLOW.test(text);
}

/** The server's words from an error body of any shape (`{error:{message}}`, `{error}`, `{message}`, text). */
export function serverDetail(body: unknown): string | undefined {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
  }
  // `code` and `type` carry the machine-readable reason (context_length_exceeded) some servers keep out of `message`.
  const error = parsed && typeof parsed === 'object' ? (parsed as { error?: unknown }).error : undefined;
  const reason = error && typeof error === 'object' ? (error as { code?: unknown; type?: unknown }) : undefined;
  const words = errorDetail({ status: 0, headers: {}, body: parsed });
  const tag = [reason?.code, reason?.type].find((v): v is string => typeof v === 'string' && !words?.includes(v));
  return tag && words ? `${words} (${tag})` : words;
}

/** A failed HTTP status, classified: rate limit, context overflow, auth, other client error, server error. */
export function statusError(
  target: ModelTarget,
  server: string,
  status: number,
  detail: string | undefined,
  headers: HeaderSource,
): ModelCallError {
  const said = detail ? `: ${detail}` : '';
  const message = `Model ${target.model}: ${server} answered HTTP ${status}${said}`;
  if (status === 429) return new ModelCallError('rate-limit', message, { status, retryAfterMs: retryAfterMs(headers) });
  if (status >= 400 && status < 500 && detail && saysContextOverflow(detail)) {
    return new ModelCallError('context-overflow', message, { status });
  }
  if (status === 401 || status === 403) return new ModelCallError('auth', message, { status });
  if (status >= 500) return new ModelCallError('server', message, { status });
  return new ModelCallError('bad-request', message, { status });
}

/** Why the connection failed, with the system's reason (ECONNREFUSED, "other side closed") when there is one. */
function connectionReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return why && !err.message.includes(why) ? `${err.message} (${why})` : err.message;
}

/**
 * Any failure of a call, classified. Our timeout wins over everything, since what it breaks varies (the request, the
 * stream, a quietly ended iteration); the caller's cancellation is passed on as it came: it is not a model failure
 * the router should fall back on.
 */
export function callFailure(err: unknown, target: ModelTarget, signals: CallSignals, server: string): Error {
  if (signals.timeout.aborted && !signals.caller?.aborted) {
    return new ModelCallError(
      'timeout',
      `Model ${target.model}: ${server} did not finish within ${target.timeoutMs} ms`,
    );
  }
  if (signals.caller?.aborted) {
    const reason: unknown = signals.caller.reason;
    return reason instanceof Error ? reason : new Error(`Model ${target.model}: the call was cancelled`);
  }
  if (err instanceof ModelCallError) return err;
  if (err instanceof SyntaxError) {
    return new ModelCallError(
      'malformed',
      `Model ${target.model}: ${server} sent a reply that is not JSON: ${err.message}`,
    );
  }
  return new ModelCallError(
    'network',
    `Model ${target.model}: the connection to ${server} failed: ${connectionReason(err)}`,
  );
}

/** The error with the API key cut out of its message (a server may quote the key it was given). */
export function withoutKey(err: Error, apiKey: string | undefined): Error {
  if (!apiKey || !(err instanceof ModelCallError) || !err.message.includes(apiKey)) return err;
  return new ModelCallError(err.kind, withoutSecrets(err.message, [apiKey]), {
    status: err.status,
    retryAfterMs: err.retryAfterMs,
  });
}

/** The server's name in messages: its origin, never a path or query that might hold a token. */
export function serverName(baseUrl: string): string {
  return URL.canParse(baseUrl) ? new URL(baseUrl).origin : 'the server';
}
