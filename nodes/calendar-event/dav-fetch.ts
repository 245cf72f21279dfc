// The `fetch` tsdav is handed, over an HTTP function of ours: a node's guarded requests (guarded-http.ts), or a
// credential test's context. A refused login ends the conversation at once with an error that names no secret.
// Pure: it reaches the network only through the function it is given.
import { safeUrl } from '../http-request/redirects';

export interface DavCall {
  url: string;
  method: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
}

export interface DavReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type DavHttp = (call: DavCall) => Promise<DavReply>;

/** The server answered 401 or 403: the user name or password is wrong, or the account may not do this. */
export class DavRefused extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`${url} answered HTTP ${status}`);
    this.name = 'DavRefused';
  }
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => (out[name] = value));
  return out;
}

/** A WHATWG `fetch` over `http`; request bodies are text (tsdav sends XML and iCalendar). */
export function fetchOver(http: DavHttp): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('CalDAV requests send text bodies only');
    }
    const reply = await http({
      url,
      method: (init?.method ?? 'GET').toUpperCase(),
      headers: headerRecord(init?.headers),
      body: body ?? undefined,
    });
    if (reply.status === 401 || reply.status === 403) throw new DavRefused(reply.status, safeUrl(url));
    return new Response(NULL_BODY.has(reply.status) ? null : reply.text, {
      status: reply.status,
      headers: reply.headers,
    });
  };
}
