// Reading what an API answered, for test messages.
import type { HttpReply } from './define';

const MAX_DETAIL = 300;

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'string' && at !== '' ? at : undefined;
}

/**
 * The service's own words about a failed request, from the shapes APIs use (`{ error: { message } }` in OpenAI and
 * Anthropic, `{ error, error_description }` in OAuth 2, `{ message }`), or the start of a text body.
 */
export function errorDetail(reply: HttpReply): string | undefined {
  const { body } = reply;
  const oauth = [stringAt(body, 'error'), stringAt(body, 'error_description')].filter(Boolean).join(': ');
  const text =
    stringAt(body, 'error', 'message') ||
    oauth ||
    stringAt(body, 'message') ||
    (typeof body === 'string' ? body.trim() : '');
  if (!text) return undefined;
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** "HTTP 401 (invalid x-api-key)" or "HTTP 401". */
export function statusWithDetail(reply: HttpReply): string {
  const detail = errorDetail(reply);
  return detail ? `HTTP ${reply.status} (${detail})` : `HTTP ${reply.status}`;
}

/** The base URL without a trailing slash, so paths can be appended. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
