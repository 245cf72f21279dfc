// Sends a request over node:http(s) with the destination guard on every hop, following redirects by hand.
// Each request opens its own connection (agent: false): a pooled socket would skip the lookup that checks it.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { NodeError } from '../errors';
import type { AllowList } from './address-policy';
import { guardDestination } from './destination-guard';
import { MAX_REDIRECTS, redirectedRequest, safeUrl, type OutgoingRequest } from './redirects';

function send(request: OutgoingRequest, lookup: LookupFunction | undefined, signal: AbortSignal) {
  const client = request.url.protocol === 'https:' ? https : http;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  const headers = body ? { ...request.headers, 'content-length': String(body.byteLength) } : request.headers;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = client.request(
      request.url,
      { method: request.method, headers, agent: false, signal, ...(lookup && { lookup }) },
      resolve,
    );
    req.once('error', reject);
    req.end(body);
  });
}

function redirectOf(response: IncomingMessage, request: OutgoingRequest): OutgoingRequest | undefined {
  try {
    return redirectedRequest(response, request);
  } catch (err) {
    response.destroy();
    throw err;
  }
}

/** The final response and the request that produced it (its URL and method, after any redirects). */
export async function requestGuarded(
  first: OutgoingRequest,
  allow: AllowList,
  signal: AbortSignal,
): Promise<{ response: IncomingMessage; request: OutgoingRequest }> {
  let request = first;
  let redirectedFrom: string | undefined;
  for (let redirects = 0; ; redirects++) {
    const lookup = guardDestination(request.url, allow, redirectedFrom);
    const response = await send(request, lookup, signal);
    const next = redirectOf(response, request);
    if (!next) return { response, request };
    response.destroy();
    if (redirects === MAX_REDIRECTS) {
      throw new NodeError(
        `HTTP request to ${safeUrl(first.url)} was redirected more than ${MAX_REDIRECTS} times (last hop: ` +
          `${safeUrl(request.url)}); call the final URL directly or fix the redirect loop`,
        { code: 'http-redirect', retryable: false },
      );
    }
    redirectedFrom = safeUrl(request.url);
    request = next;
  }
}
