// Checks where a request really goes. Literal IPs are checked before connecting (the socket never looks them up);
// host names are checked on the addresses DNS returned, inside the socket's own lookup, so a name that resolves
// to a public address when checked and an internal one when used (DNS rebinding) cannot slip through.
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { NodeError } from '../errors';
import {
  ALLOW_HOSTS_ENV,
  blockedReason,
  isMetadataName,
  nameAllowed,
  normalHost,
  type AllowList,
} from './address-policy';

interface Refusal {
  /** The host as the URL names it. */
  host: string;
  /** The resolved address, when the host is a name. */
  address?: string;
  reason: string;
  /** The URL that redirected here, already free of secrets. */
  redirectedFrom?: string;
}

export function blockedError({ host, address, reason, redirectedFrom }: Refusal): NodeError {
  const target = redirectedFrom ? `${host} (redirected from ${redirectedFrom})` : host;
  const what = address ? `resolves to ${address}, ${reason}` : `is ${reason}`;
  return new NodeError(
    `HTTP request blocked: ${target} ${what}. Workflows may only call public addresses; to allow this host, ` +
      `an administrator adds "${normalHost(host)}" to ${ALLOW_HOSTS_ENV} (comma separated host names, IPs or CIDRs) ` +
      `in the workers' environment`,
    { code: 'ssrf-blocked', retryable: false },
  );
}

/**
 * Refuses `url` now if its host is a blocked literal IP or metadata name; otherwise returns the lookup its socket
 * must use (undefined when there is nothing left to check: an allow-listed name or an allowed literal IP).
 */
export function guardDestination(url: URL, allow: AllowList, redirectedFrom?: string): LookupFunction | undefined {
  const host = url.hostname;
  if (nameAllowed(host, allow)) return undefined;
  if (isMetadataName(host)) throw blockedError({ host, reason: 'a cloud metadata service name', redirectedFrom });
  if (isIP(normalHost(host))) {
    const reason = blockedReason(host, allow);
    if (reason) throw blockedError({ host, reason, redirectedFrom });
    return undefined;
  }
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      // Blocked addresses are dropped, not fatal: the socket connects only to the ones that passed.
      const usable = addresses.filter((a) => !blockedReason(a.address, allow));
      if (usable.length === 0) {
        const address = addresses[0].address;
        return callback(blockedError({ host, address, reason: blockedReason(address, allow)!, redirectedFrom }), '');
      }
      if (options.all) callback(null, usable);
      else callback(null, usable[0].address, usable[0].family);
    });
  };
}
