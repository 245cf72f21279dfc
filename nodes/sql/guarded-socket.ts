// Database connections go through the HTTP node's destination guard (decision 022), as SMTP credentials do: the
// host comes from a credential a workspace member typed, so a private, loopback or metadata address is refused
// unless BATON_HTTP_ALLOW_HOSTS allows it. Literal IPs are refused before connecting; names are checked on what
// DNS returned, inside the socket's own lookup.
import net from 'node:net';
import { ALLOW_HOSTS_ENV, normalHost, parseAllowList } from '../http-request/address-policy';
import { guardDestination } from '../http-request/destination-guard';

export interface GuardedTarget {
  /** The host to connect to: brackets of an IPv6 address removed. */
  host: string;
  lookup?: net.LookupFunction;
}

/** Throws NodeError `ssrf-blocked` for a refused literal address; else the lookup its socket must use. */
export function guardTarget(host: string): GuardedTarget {
  const target = normalHost(host);
  const lookup = guardDestination(
    new URL(`tcp://${net.isIPv6(target) ? `[${target}]` : target}`),
    parseAllowList(process.env[ALLOW_HOSTS_ENV]),
  );
  return { host: target, lookup };
}

/** A connected socket to `target` (for drivers that take a stream factory: mysql2). */
export function connectGuarded(target: GuardedTarget, port: number): net.Socket {
  return net.connect({ host: target.host, port, ...(target.lookup && { lookup: target.lookup }) });
}

/** An unconnected socket whose `connect(port, host)` uses the guarded lookup (pg calls it that way). */
export function guardedSocket(target: GuardedTarget): net.Socket {
  const socket = new net.Socket();
  const connect = socket.connect.bind(socket) as (options: net.TcpSocketConnectOpts) => net.Socket;
  socket.connect = ((port: number) =>
    connect({ host: target.host, port, ...(target.lookup && { lookup: target.lookup }) })) as typeof socket.connect;
  return socket;
}
