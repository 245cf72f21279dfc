// Who is on the other end of a request: its address (for throttling) and whether it is this machine (for setup).
// Proxy headers are believed only when BATON_TRUST_PROXY says which proxies to believe, because anyone can send them.
import { isIP } from 'node:net';

/**
 * Express's `trust proxy` value from BATON_TRUST_PROXY: unset means no proxy is trusted; otherwise a hop count
 * (`1`), or addresses/subnets/`loopback` as Express accepts them (https://expressjs.com/en/guide/behind-proxies.html).
 * Avoid `true`: it believes the left-most X-Forwarded-For entry, which the client writes itself.
 */
export function trustProxySetting(value = process.env.BATON_TRUST_PROXY): boolean | number | string {
  const setting = value?.trim() ?? '';
  if (setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  if (/^\d+$/.test(setting)) return Number(setting);
  return setting;
}

/** The part of an Express request this module reads (req.ip already applies the trust proxy setting). */
export interface PeerRequest {
  ip?: string;
  socket: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}

export function clientIp(req: PeerRequest): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * True when the person at the other end sits at this machine: the TCP peer and the client address are loopback,
 * the Host header names loopback (a DNS-rebinding page on this machine sends its own domain), and no untrusted
 * proxy relays someone else (a local reverse proxy connects from loopback on behalf of anyone).
 */
export function isLocalClient(req: PeerRequest, trustProxy = trustProxySetting()): boolean {
  if (trustProxy === false && FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return (
    isLoopbackAddress(req.socket.remoteAddress ?? '') &&
    isLoopbackAddress(clientIp(req)) &&
    isLoopbackHost(String(req.headers.host ?? ''))
  );
}

export function isLoopbackAddress(address: string): boolean {
  const ip = address.replace(/^::ffff:/i, '');
  if (isIP(ip) === 4) return ip.startsWith('127.');
  return ip === '::1';
}

function isLoopbackHost(host: string): boolean {
  const name = host
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}
