// Redirects are followed by hand, so every hop passes the destination guard and secrets stay with their origin.
// Method and body rewriting follow the Fetch standard (what browsers and the old fetch()-based node did).
import type { IncomingMessage } from 'node:http';
import { isSecretHeader } from '../../contracts/redaction';
import { NodeError } from '../errors';

export const MAX_REDIRECTS = 10;

export interface OutgoingRequest {
  url: URL;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  /** Headers set from a credential (lower-case): like secret-looking ones, they stay with their origin. */
  credentialHeaders?: readonly string[];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);

/** The URL as it may appear in errors and logs: no credentials, query or fragment (they often carry tokens). */
export function safeUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/** Refuses `user:password@` in a URL: it would be sent, logged and stored with the step in clear. */
export function refuseUrlCredentials(url: URL): void {
  if (url.username === '' && url.password === '') return;
  throw new NodeError(
    `HTTP request: the URL ${safeUrl(url)} carries credentials (user:password@); ` +
      'remove them and send them in an Authorization header instead',
    { code: 'param-invalid', retryable: false },
  );
}

/** The request to send next when `response` redirects `request`, or undefined when it is the final response. */
export function redirectedRequest(response: IncomingMessage, request: OutgoingRequest): OutgoingRequest | undefined {
  const location = response.headers.location;
  if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location) return undefined;
  const url = URL.canParse(location, request.url) ? new URL(location, request.url) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new NodeError(
      `HTTP ${response.statusCode} from ${safeUrl(request.url)} redirects to an address that is not an http(s) URL`,
      { code: 'http-redirect', retryable: false },
    );
  }
  refuseUrlCredentials(url);
  const status = response.statusCode;
  const becomesGet =
    (status === 303 && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST');
  const crossOrigin = url.origin !== request.url.origin;
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(
      ([name]) =>
        !(becomesGet && BODY_HEADERS.has(name)) &&
        !(crossOrigin && (isSecretHeader(name) || request.credentialHeaders?.includes(name))),
    ),
  );
  const kept = { credentialHeaders: request.credentialHeaders };
  return becomesGet
    ? { url, method: 'GET', headers, ...kept }
    : { url, method: request.method, headers, body: request.body, ...kept };
}
