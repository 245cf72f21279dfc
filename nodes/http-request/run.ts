import type { IncomingHttpHeaders } from 'node:http';
import { redactSecretFields, scrubUrlSecrets } from '../../contracts/redaction';
import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from './address-policy';
import { authenticationHeaders, type AuthHeaders } from './authentication';
import { requestGuarded } from './guarded-request';
import { refuseUrlCredentials, safeUrl, type OutgoingRequest } from './redirects';
import { ACCEPT_ENCODING, parseBody, readCapped } from './response-body';
import type { spec } from './spec';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

function requestBody(bodyType: 'none' | 'json' | 'text', body: unknown): { body?: string; contentType?: string } {
  if (bodyType === 'none' || body === undefined) return {};
  if (bodyType === 'json') return { body: JSON.stringify(body), contentType: 'application/json' };
  return { body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'text/plain; charset=utf-8' };
}

function outgoingRequest(ctx: RunContext, params: Params, auth: AuthHeaders): OutgoingRequest {
  const url = URL.canParse(params.url) ? new URL(params.url) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new NodeError(`HTTP request: URL "${params.url}" is not an absolute http(s) URL; fix the URL parameter`, {
      code: 'param-invalid',
      retryable: false,
    });
  }
  refuseUrlCredentials(url);
  const { body, contentType } = requestBody(params.bodyType, params.body);
  if (body !== undefined && (params.method === 'GET' || params.method === 'HEAD')) {
    throw new NodeError(
      `HTTP request: a ${params.method} request cannot have a body; set Body to None or change the method`,
      { code: 'param-invalid', retryable: false },
    );
  }
  const headers = new Headers(params.headers);
  for (const [name, value] of Object.entries(auth)) headers.set(name, value);
  headers.set('Idempotency-Key', ctx.idempotencyKey);
  if (contentType && !headers.has('content-type')) headers.set('Content-Type', contentType);
  for (const [name, value] of [
    ['Accept', '*/*'],
    ['Accept-Encoding', ACCEPT_ENCODING],
    ['User-Agent', 'Baton'],
  ]) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return {
    url,
    method: params.method,
    headers: Object.fromEntries(headers),
    body,
    ...(Object.keys(auth).length ? { credentialHeaders: Object.keys(auth) } : {}),
  };
}

/** Response headers as one string each, secret-looking values redacted: the output is stored with the step. */
function outputHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return redactSecretFields(flat);
}

async function callApi(ctx: RunContext, params: Params) {
  const timeout = AbortSignal.timeout(params.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const first = outgoingRequest(ctx, params, await authenticationHeaders(ctx, params, signal));
  const url = safeUrl(first.url);
  const allow = parseAllowList(process.env[ALLOW_HOSTS_ENV]);
  try {
    const { response, request } = await requestGuarded(first, allow, signal);
    const status = response.statusCode ?? 0;
    const finalUrl = safeUrl(request.url);
    if ((status < 200 || status > 299) && params.failOnHttpError) {
      response.destroy();
      throw new NodeError(`HTTP ${status} ${response.statusMessage} from ${request.method} ${finalUrl}`, {
        code: 'http-status',
        retryable: status >= 500 || status === 429 || status === 408,
      });
    }
    const bytes = await readCapped(response, request.method, finalUrl, signal);
    return {
      status,
      statusText: response.statusMessage ?? '',
      headers: outputHeaders(response.headers),
      body: parseBody(bytes, response.headers['content-type'], finalUrl),
    };
  } catch (err) {
    if (err instanceof NodeError) throw err;
    if (timeout.aborted && !ctx.signal.aborted) {
      throw new NodeError(`HTTP request to ${url} timed out after ${params.timeoutMs} ms`, { code: 'timeout' });
    }
    if (ctx.signal.aborted) throw err;
    const { code, message } = err as NodeJS.ErrnoException;
    throw new NodeError(`HTTP request to ${url} failed: ${code ?? message}`, { code: 'http-network' });
  }
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  try {
    return await callApi(ctx, params);
  } catch (err) {
    // Every message the node produces may end up in run records and logs: no URL credentials or tokens.
    if (!(err instanceof NodeError)) throw err;
    throw new NodeError(scrubUrlSecrets(err.message), { code: err.code, retryable: err.retryable });
  }
};
