// Streamable HTTP to MCP servers, through the HTTP node's destination guard (decision 022): the SDK's transport is
// handed a fetch that sends each request with requestGuarded, so an agent reaches private addresses only where
// BATON_HTTP_ALLOW_HOSTS allows the HTTP node to. Redirects are followed as the HTTP node follows them (every hop
// guarded, credential headers kept to their origin), whatever `redirect` the SDK asks for. Responses stream (MCP
// answers over SSE), capped in size.
import type { IncomingMessage } from 'node:http';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, parseAllowList } from '../http-request/address-policy';
import { requestGuarded } from '../http-request/guarded-request';
import { MAX_RESPONSE_BYTES } from '../http-request/response-body';
import type { McpHttpServer } from './mcp-config';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A response body as a web stream. `onBroken` hears of a body cut short by the server (it crashed or hung up): the
 * SDK then only logs it and would wait for the answer until its timeout.
 */
function webBody(response: IncomingMessage, signal: AbortSignal, onBroken: (err: Error) => void) {
  let received = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (err: Error) => {
        if (done) return;
        done = true;
        controller.error(err);
        if (!signal.aborted) onBroken(err);
      };
      response.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received > MAX_RESPONSE_BYTES) {
          response.destroy();
          const limit = `a response larger than the ${MAX_RESPONSE_BYTES / (1024 * 1024)} MB limit`;
          return fail(new NodeError(limit, { code: 'response-too-large', retryable: false }));
        }
        if (!done) controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) response.pause();
      });
      response.once('end', () => {
        if (done) return;
        done = true;
        controller.close();
      });
      response.once('error', fail);
      response.once('close', () => {
        if (!response.complete) fail(new Error('the connection closed mid-response'));
      });
    },
    pull() {
      response.resume();
    },
    cancel() {
      done = true;
      response.destroy();
    },
  });
}

function toResponse(response: IncomingMessage, method: string, signal: AbortSignal, onBroken: (err: Error) => void) {
  const headers = new Headers();
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2)
    headers.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
  const status = response.statusCode ?? 0;
  const empty = NULL_BODY_STATUSES.has(status) || method === 'HEAD';
  if (empty) response.resume();
  return new Response(empty ? null : webBody(response, signal, onBroken), {
    status,
    statusText: response.statusMessage,
    headers,
  });
}

/** A fetch for the SDK whose every request passes the destination guard; credential headers stay with their origin. */
export function guardedFetch(config: McpHttpServer, onBroken: (err: Error) => void): FetchLike {
  const credentialHeaders = Object.keys(config.headers ?? {}).map((name) => name.toLowerCase());
  return async (input, init = {}) => {
    const body = init.body ?? undefined;
    if (body !== undefined && typeof body !== 'string') throw new Error('MCP requests are sent as JSON text');
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const method = init.method ?? 'GET';
    const signal = init.signal ?? new AbortController().signal;
    const { response } = await requestGuarded(
      { url: new URL(input), method, headers, body, credentialHeaders },
      parseAllowList(process.env[ALLOW_HOSTS_ENV]),
      signal,
    );
    return toResponse(response, method, signal, onBroken);
  };
}

export function httpTransport(config: McpHttpServer, onBroken: (err: Error) => void): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(config.url), {
    requestInit: { headers: { ...config.headers } },
    fetch: guardedFetch(config, onBroken),
  });
}
