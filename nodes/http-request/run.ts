import type { IncomingHttpHeaders } from 'node:http';
import { redactSecretFields, scrubUrlSecrets } from '../../contracts/redaction';
import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from './address-policy';
import { authenticationHeaders, type AuthHeaders } from './authentication';
import { requestGuarded } from './guarded-request';
import { refuseUrlCredentials, safeUrl, type OutgoingRequest } from './redirects';
import { checkPagination, DEFAULT_MAX_PAGES, firstPageUrl, itemsOf, nextPageUrl } from './pagination';
import { ACCEPT_ENCODING, parseBody, readCapped } from './response-body';
import { saveResponseFile } from './response-file';
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

/** One request of the node (one page, when it paginates), with the timeout of the Timeout param. */
async function callOnce(ctx: RunContext, params: Params, request: OutgoingRequest) {
  const timeout = AbortSignal.timeout(params.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const url = safeUrl(request.url);
  const allow = parseAllowList(process.env[ALLOW_HOSTS_ENV]);
  try {
    const { response, request: sent } = await requestGuarded(request, allow, signal);
    const status = response.statusCode ?? 0;
    const finalUrl = safeUrl(sent.url);
    if ((status < 200 || status > 299) && params.failOnHttpError) {
      response.destroy();
      throw new NodeError(`HTTP ${status} ${response.statusMessage} from ${sent.method} ${finalUrl}`, {
        code: 'http-status',
        retryable: status >= 500 || status === 429 || status === 408,
      });
    }
    const head = { status, statusText: response.statusMessage ?? '', headers: outputHeaders(response.headers) };
    if (params.response === 'file') {
      const target = { method: sent.method, url: sent.url, safeUrl: finalUrl };
      return {
        url: sent.url,
        output: { ...head, file: await saveResponseFile(ctx, params.fileName, response, target, signal) },
      };
    }
    const bytes = await readCapped(response, sent.method, finalUrl, signal);
    const link = response.headers.link;
    return {
      url: sent.url,
      link: Array.isArray(link) ? link.join(', ') : link,
      output: {
        ...head,
        body: parseBody(bytes, response.headers['content-type'], finalUrl, params.response),
      },
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

async function callApi(ctx: RunContext, params: Params) {
  checkPagination(params);
  if (params.response === 'file' && (params.pagination ?? 'none') !== 'none')
    throw new NodeError('HTTP request: a file response cannot be paginated; set Pagination to None', {
      code: 'param-invalid',
      retryable: false,
    });
  const auth = await authenticationHeaders(
    ctx,
    params,
    AbortSignal.any([ctx.signal, AbortSignal.timeout(params.timeoutMs)]),
  );
  const first = outgoingRequest(ctx, params, auth);
  if ((params.pagination ?? 'none') === 'none') return (await callOnce(ctx, params, first)).output;

  // Every page is its own request, each with its own Idempotency-Key (the step's, then ":page:<n>").
  const maxPages = params.maxPages ?? DEFAULT_MAX_PAGES;
  const items: unknown[] = [];
  let request: OutgoingRequest = { ...first, url: firstPageUrl(first.url, params) };
  for (let page = 1; ; page++) {
    const { url, link, output } = await callOnce(ctx, params, request);
    const body = 'body' in output ? output.body : undefined; // always there: file responses are not paginated
    const pageItems = itemsOf({ url, body, link }, params, page);
    items.push(...pageItems);
    ctx.heartbeat({ page, items: items.length });
    const next = nextPageUrl({ url, body, link }, pageItems, params, {
      origin: first.url.origin,
      credentials: Object.keys(auth).length > 0,
    });
    const done = { status: output.status, statusText: output.statusText, headers: output.headers, pages: page, items };
    if (!next) return done;
    if (page >= maxPages) return { ...done, truncated: true };
    request = {
      ...first,
      url: next,
      headers: { ...first.headers, 'idempotency-key': `${ctx.idempotencyKey}:page:${page + 1}` },
    };
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
