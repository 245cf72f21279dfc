// A forward proxy on loopback that every request of one Browser node execution goes through: Chromium follows
// redirects, opens iframes, WebSockets and service workers without asking Playwright's route handlers, but it cannot
// reach the network except through its proxy. Each hop is checked (request-guard.ts), and the socket connects only
// to addresses the HTTP node's policy allows at connect time (destination-guard.ts), so DNS rebinding is closed too.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { AllowList } from '../http-request/address-policy';
import { guardDestination } from '../http-request/destination-guard';
import { refusalOf } from './request-guard';

export interface GuardProxy {
  /** `http://127.0.0.1:<port>`, for the context's `proxy.server`. */
  server: string;
  close(): Promise<void>;
}

/** Starts a proxy that refuses what `refusalOf` refuses, reporting each refusal's reason to `onRefused`. */
export async function startGuardProxy(
  domains: string[],
  allow: AllowList,
  onRefused: (reason: string) => void,
): Promise<GuardProxy> {
  const check = async (url: URL) => {
    const reason = await refusalOf(url, domains, allow);
    if (reason) onRefused(reason);
    return reason;
  };
  const lookupFor = (url: URL) => {
    try {
      return { lookup: guardDestination(url, allow) };
    } catch (err) {
      onRefused((err as Error).message);
      return undefined;
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = URL.canParse(req.url ?? '') ? new URL(req.url!) : undefined;
      if (!url || url.protocol !== 'http:' || (await check(url))) return void res.writeHead(403).end();
      const guard = lookupFor(url);
      if (!guard) return void res.writeHead(403).end();
      const upstream = httpRequest(
        {
          host: url.hostname,
          port: url.port || 80,
          path: `${url.pathname}${url.search}`,
          method: req.method,
          headers: withoutProxyHeaders(req),
          ...(guard.lookup ? { lookup: guard.lookup } : {}),
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        if (/blocked/.test(err.message)) onRefused(err.message);
        res.destroy();
      });
      // The browser hung up mid-answer (a cancelled download): the site's side goes too, not left open and paused.
      res.once('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    })().catch(() => res.destroy());
  });

  // HTTPS and WebSockets arrive as CONNECT host:port tunnels.
  const tunnels = new Set<Socket>();
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.add(client);
    client.once('close', () => tunnels.delete(client));
    void (async () => {
      const url = new URL(`https://${req.url ?? ''}`);
      if ((await check(url)) || !url.hostname) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const guard = lookupFor(url);
      if (!guard) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = connect({
        host: url.hostname,
        port: Number(url.port || 443),
        ...(guard.lookup ? { lookup: guard.lookup } : {}),
      });
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', (err) => {
        if (/blocked/.test(err.message)) onRefused(err.message);
        client.destroy();
      });
      client.on('error', () => upstream.destroy());
    })().catch(() => client.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        for (const tunnel of tunnels) tunnel.destroy(); // a CONNECT tunnel is no longer the server's connection
        server.close(() => resolve());
      }),
  };
}

/** Request headers minus the hop-by-hop ones meant for the proxy. */
function withoutProxyHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || /^proxy-/i.test(name)) continue;
    headers[name] = value;
  }
  return headers;
}
