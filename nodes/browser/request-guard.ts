// Decides which requests the page may make: the node's Allowed domains, then the HTTP node's address policy
// (private, loopback and metadata addresses refused unless BATON_HTTP_ALLOW_HOSTS allows them). Chromium resolves
// names itself, so names are checked on what DNS answers here just before the request: a name that resolves
// differently a moment later (DNS rebinding) is a gap the HTTP node's socket-level check does not have.
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { NodeError } from '../errors';
import { blockedReason, isMetadataName, nameAllowed, normalHost, type AllowList } from '../http-request/address-policy';

/** `Allowed domains` as lower-case host names; empty means any public host. */
export function parseAllowedDomains(text: string | undefined): string[] {
  const domains = (text ?? '')
    .split(',')
    .map((d) => normalHost(d.trim()))
    .filter((d) => d !== '');
  for (const d of domains) {
    if (!/^[a-z0-9_.:-]+$/.test(d))
      throw new NodeError(
        `Browser: Allowed domains: "${d}" is not a host name; list host names only, comma separated`,
        {
          code: 'param-invalid',
          retryable: false,
        },
      );
  }
  return domains;
}

/** Whether `host` is one of `domains` or a subdomain of one. */
export function domainAllowed(host: string, domains: string[]): boolean {
  const h = normalHost(host);
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

/** Schemes that load nothing from the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/** Why the page may not request `url`, or undefined when it may. */
export async function refusalOf(url: URL, domains: string[], allow: AllowList): Promise<string | undefined> {
  if (LOCAL_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} URLs are not allowed`;
  const host = url.hostname;
  if (domains.length > 0 && !domainAllowed(host, domains)) return `host ${normalHost(host)} is not in Allowed domains`;
  if (nameAllowed(host, allow)) return undefined;
  if (isMetadataName(host)) return `host ${host} is a cloud metadata service name`;
  const literal = normalHost(host);
  if (isIP(literal)) {
    const reason = blockedReason(literal, allow);
    return reason && `host ${literal} is ${reason} (an administrator may allow it in BATON_HTTP_ALLOW_HOSTS)`;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch {
    return undefined; // Chromium reports the failed lookup itself
  }
  for (const { address } of addresses) {
    const reason = blockedReason(address, allow);
    if (reason)
      return `host ${host} resolves to ${address}, ${reason} (an administrator may allow it in BATON_HTTP_ALLOW_HOSTS)`;
  }
  return undefined;
}
