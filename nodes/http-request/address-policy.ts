// Which network addresses the HTTP node may call. Only public unicast addresses, unless an administrator
// allow-lists internal ones in BATON_HTTP_ALLOW_HOSTS: a workflow author must not reach the worker's own
// network (databases, admin panels, the cloud metadata service that hands out machine credentials).
import ipaddr from 'ipaddr.js';
import { NodeError } from '../errors';

export const ALLOW_HOSTS_ENV = 'BATON_HTTP_ALLOW_HOSTS';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface AllowList {
  /** Lower-case host names, allowed whatever they resolve to. */
  names: Set<string>;
  addresses: Address[];
  networks: Array<[Address, number]>;
}

/** Cloud metadata services (AWS, GCP, Azure, DigitalOcean, ECS tasks, Alibaba, Oracle, AWS over IPv6). */
const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254'].map(
  (a) => ipaddr.parse(a),
);
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

const RANGE_REASONS: Record<string, string> = {
  loopback: 'a loopback address (this machine)',
  unspecified: 'an unspecified address (it reaches this machine)',
  private: 'a private network address',
  uniqueLocal: 'a unique local (private) IPv6 address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  ipv4Compatible: 'an IPv4-compatible IPv6 address',
};

/** A host name as the allow-list compares it: lower case, no IPv6 brackets, no trailing dot. */
export function normalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** Parses `BATON_HTTP_ALLOW_HOSTS`: comma separated host names, IPs and CIDRs. */
export function parseAllowList(text: string | undefined): AllowList {
  const allow: AllowList = { names: new Set(), addresses: [], networks: [] };
  for (const raw of (text ?? '').split(',')) {
    const entry = normalHost(raw.trim());
    if (entry === '') continue;
    if (entry.includes('://')) throw invalidEntry(raw.trim(), 'is a URL; list its host name only');
    if (entry.includes('/')) {
      if (!ipaddr.isValidCIDR(entry)) throw invalidEntry(raw.trim(), 'is not a valid CIDR such as 10.0.0.0/8');
      allow.networks.push(ipaddr.parseCIDR(entry));
    } else if (ipaddr.isValid(entry)) allow.addresses.push(ipaddr.process(entry));
    else if (/^[a-z0-9_.-]+$/.test(entry)) allow.names.add(entry);
    else throw invalidEntry(raw.trim(), 'is neither a host name, an IP address nor a CIDR');
  }
  return allow;
}

function invalidEntry(entry: string, problem: string): NodeError {
  return new NodeError(`${ALLOW_HOSTS_ENV}: "${entry}" ${problem}; fix the worker's environment`, {
    code: 'config-invalid',
    retryable: false,
  });
}

export function isMetadataName(host: string): boolean {
  return METADATA_NAMES.has(normalHost(host));
}

export function nameAllowed(host: string, allow: AllowList): boolean {
  return allow.names.has(normalHost(host));
}

/** Why `ip` may not be called, or undefined when it may. IPv4-mapped IPv6 counts as the IPv4 it carries. */
export function blockedReason(ip: string, allow: AllowList): string | undefined {
  if (!ipaddr.isValid(normalHost(ip))) return 'not an IP address';
  const address = ipaddr.process(normalHost(ip));
  const same = (other: Address) => other.kind() === address.kind() && other.toString() === address.toString();
  if (allow.addresses.some(same)) return undefined;
  // Metadata addresses are never re-enabled by a network entry: only by naming them exactly.
  if (METADATA_ADDRESSES.some(same)) return 'a cloud metadata service address';
  if (allow.networks.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits))) return undefined;
  const range = rangeOf(address);
  return range === 'unicast' ? undefined : (RANGE_REASONS[range] ?? `a special-purpose address (${range})`);
}

function rangeOf(address: Address): string {
  const range = address.range();
  // ::a.b.c.d (deprecated IPv4-compatible) is "unicast" to ipaddr.js but may carry an internal IPv4.
  const compatible = address.kind() === 'ipv6' && (address as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0);
  return range === 'unicast' && compatible ? 'ipv4Compatible' : range;
}
