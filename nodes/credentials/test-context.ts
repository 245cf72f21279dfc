// What a credential test reaches the network with: the HTTP node's guarded request (decision 022) for HTTP, and
// TCP/TLS sockets whose destination passes the same guard, so "Test connection" cannot probe internal hosts
// unless BATON_HTTP_ALLOW_HOSTS allows them.
import net from 'node:net';
import tls from 'node:tls';
import { NodeError } from '../errors';
import { ALLOW_HOSTS_ENV, normalHost, parseAllowList } from '../http-request/address-policy';
import { guardDestination } from '../http-request/destination-guard';
import { requestGuarded } from '../http-request/guarded-request';
import { safeUrl } from '../http-request/redirects';
import { parseBody, readCapped } from '../http-request/response-body';
import type { CredentialTestContext, HttpCall, HttpReply, TcpConversation } from './define';

async function http(call: HttpCall, signal: AbortSignal): Promise<HttpReply> {
  const url = new URL(call.url);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Baton' };
  for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
  const allow = parseAllowList(process.env[ALLOW_HOSTS_ENV]);
  const method = call.method ?? 'GET';
  try {
    const { response, request } = await requestGuarded({ url, method, headers, body: call.body }, allow, signal);
    const where = safeUrl(request.url);
    const bytes = await readCapped(response, request.method, where, signal);
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode ?? 0, headers: flat, body: parseBody(bytes, flat['content-type'], where) };
  } catch (err) {
    if (err instanceof NodeError || signal.aborted) throw err;
    throw new Error(
      `Could not reach ${safeUrl(url)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function conversation(socket: net.Socket): TcpConversation {
  let received = Buffer.alloc(0);
  let closed: Error | undefined;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    wake?.();
  });
  const end = (err?: Error) => {
    closed ??= err ?? new Error('the server closed the connection');
    wake?.();
  };
  socket.on('error', end);
  socket.on('close', () => end());
  return {
    write: (data) => void socket.write(data),
    read: (complete) =>
      new Promise<Buffer>((resolve, reject) => {
        const check = () => {
          const length = received.length ? complete(received) : undefined;
          if (length !== undefined) {
            wake = undefined;
            const message = received.subarray(0, length);
            received = received.subarray(length);
            resolve(message);
          } else if (closed) {
            wake = undefined;
            reject(closed);
          }
        };
        wake = check;
        check();
      }),
    close: () => void socket.destroy(),
  };
}

async function tcp(
  target: { host: string; port: number; tls?: boolean },
  signal: AbortSignal,
): Promise<TcpConversation> {
  const host = normalHost(target.host);
  const where = `${target.host}:${target.port}`;
  const lookup = guardDestination(
    new URL(`tcp://${net.isIPv6(host) ? `[${host}]` : host}`),
    parseAllowList(process.env[ALLOW_HOSTS_ENV]),
  );
  const options = { host, port: target.port, signal, ...(lookup && { lookup }) };
  const socket = target.tls
    ? tls.connect({ ...options, servername: net.isIP(host) ? undefined : host })
    : net.connect(options);
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const how = target.tls ? 'open a TLS connection to' : 'connect to';
      reject(err instanceof NodeError ? err : new Error(`Could not ${how} ${where}: ${err.code ?? err.message}`));
    };
    socket.once('error', failed);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      socket.off('error', failed);
      resolve();
    });
  });
  return conversation(socket);
}

/** A context whose requests and connections end when `signal` aborts. */
export function createTestContext(signal: AbortSignal): CredentialTestContext {
  return { http: (call) => http(call, signal), tcp: (target) => tcp(target, signal) };
}
