// Calls BambooHR's REST API (https://documentation.bamboohr.com/docs/api-details): HTTP Basic auth with the API key
// as the user name, JSON both ways, and the documented status codes explained. BambooHR throttles with 503 and
// Retry-After (thrown as RateLimited, for nodes/retry-after.ts); its 429 means the account's employee limit, not a
// rate limit. Error details come from the X-BambooHR-Error-Message header. No message names the key or the header.
import { RateLimited, retryAfterSeconds } from '../retry-after';
import { bamboohrApiUrl } from './api-url';

export interface BambooAccount {
  companyDomain: string;
  /** `Basic …` of `apiKey:x`. */
  authorization: string;
  /** The API base with its trailing slash (api-url.ts). */
  baseUrl: string;
}

export function bambooAccount(
  companyDomain: string,
  apiKey: string,
  env: Record<string, string | undefined> = process.env,
): BambooAccount {
  return {
    companyDomain,
    authorization: `Basic ${Buffer.from(`${apiKey}:x`, 'utf8').toString('base64')}`,
    baseUrl: bamboohrApiUrl(companyDomain, env),
  };
}

export interface BambooReply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer says it is JSON, else its text. */
  body: unknown;
}

/** A refusal or failure of BambooHR's, explained; `field` names the node field to fix, when one is to blame. */
export class BambooCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly field?: string,
    /** BambooHR's answer, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BambooCallError';
  }
}

/** What a status means, for the statuses BambooHR documents, and what to do; a call may say more for 404 and 409. */
const MEANINGS: Record<number, [what: string, fix: string]> = {
  400: ['BambooHR could not accept the request (HTTP 400 Bad Request)', ''],
  401: ['BambooHR refused the API key (HTTP 401 Unauthorized)', '; check the BambooHR credential'],
  403: [
    "the API key's user may not do this (HTTP 403 Forbidden)",
    '; give that user the permission in BambooHR, or use the key of a user who has it',
  ],
  404: ['BambooHR found nothing there (HTTP 404 Not Found)', '; check the company domain of the credential'],
  406: ['BambooHR does not know one of the fields (HTTP 406 Not Acceptable)', '; check the field names'],
  409: ['BambooHR refused a value as a duplicate or invalid (HTTP 409 Conflict)', ''],
  429: [
    'the BambooHR account has reached its employee limit (HTTP 429 Limit Exceeded)',
    '; no employee can be added until the plan allows more',
  ],
};

const TIMEOUT_MS = 30_000;
const MAX_DETAIL = 300;

export interface BambooCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Relative to the company's API base, e.g. `employees/123`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** What a 404 or 409 means for this call, and the field to blame. */
  explain?: Partial<Record<404 | 409, { what: string; fix?: string; field?: string }>>;
}

export async function bambooRequest(
  account: BambooAccount,
  call: BambooCall,
  signal: AbortSignal,
): Promise<BambooReply> {
  const url = new URL(call.path, account.baseUrl);
  for (const [name, value] of Object.entries(call.query ?? {}))
    if (value !== undefined) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers: {
        authorization: account.authorization,
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new BambooCallError(
      `could not reach BambooHR at ${url.host}: ${cause?.code ?? (err as Error).message}`,
      true,
    );
  }
  const text = await response.text();
  const json = /^application\/([\w.+-]*\+)?json\b/i.test(response.headers.get('content-type') ?? '');
  let body: unknown = text;
  if (json && text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      throw new BambooCallError(`BambooHR answered HTTP ${response.status} with JSON it could not read`, false);
    }
  }
  if (response.ok) return { status: response.status, headers: response.headers, body };
  throw refusal(response, call);
}

function refusal(response: Response, call: BambooCall): Error {
  const { status } = response;
  const reason = (response.headers.get('x-bamboohr-error-message') ?? '').trim().slice(0, MAX_DETAIL);
  const detail = reason ? `: ${reason}` : '';
  if (status === 503) {
    return new RateLimited(
      retryAfterSeconds(response.headers.get('retry-after')),
      `BambooHR is throttling requests (HTTP 503 Service Unavailable${detail})`,
    );
  }
  const own = status === 404 || status === 409 ? call.explain?.[status] : undefined;
  if (own) return new BambooCallError(`${own.what}${detail}${own.fix ?? ''}`, false, own.field, status);
  const meaning = MEANINGS[status];
  if (meaning) return new BambooCallError(`${meaning[0]}${detail}${meaning[1]}`, false, undefined, status);
  return new BambooCallError(`BambooHR answered HTTP ${status}${detail}`, status >= 500, undefined, status);
}
