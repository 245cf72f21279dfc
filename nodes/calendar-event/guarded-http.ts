// HTTP for CalDAV steps through the HTTP node's destination guard (decision 022), with its response size cap and a
// time limit per request.
import type { AllowList } from '../http-request/address-policy';
import { requestGuarded } from '../http-request/guarded-request';
import { safeUrl } from '../http-request/redirects';
import { readCapped } from '../http-request/response-body';
import type { DavHttp } from './dav-fetch';

const REQUEST_TIMEOUT_MS = 30_000;

/** HTTP through the destination guard: `allow` says which internal hosts may be reached. */
export function guardedHttp(allow: AllowList, stepSignal: AbortSignal): DavHttp {
  return async (call) => {
    const signal = AbortSignal.any([stepSignal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
    const { response, request } = await requestGuarded(
      { url: new URL(call.url), method: call.method, headers: call.headers, body: call.body },
      allow,
      signal,
    );
    const bytes = await readCapped(response, request.method, safeUrl(request.url), signal);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      // The body is handed on decoded, so what described its bytes on the wire no longer applies.
      if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode ?? 0, headers, text: bytes.toString('utf8') };
  };
}
