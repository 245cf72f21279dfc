import { blockedReason, parseAllowList } from './address-policy';

const none = parseAllowList(undefined);

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'a loopback address (this machine)'],
    ['127.200.0.9', 'a loopback address (this machine)'],
    ['::1', 'a loopback address (this machine)'],
    ['0.0.0.0', 'an unspecified address (it reaches this machine)'],
    ['::', 'an unspecified address (it reaches this machine)'],
    ['10.0.0.1', 'a private network address'],
    ['172.16.5.4', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT (shared) address'],
    ['fc00::1', 'a unique local (private) IPv6 address'],
    ['fdff:1234::1', 'a unique local (private) IPv6 address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['169.254.169.254', 'a cloud metadata service address'],
    ['fd00:ec2::254', 'a cloud metadata service address'],
    ['100.100.100.200', 'a cloud metadata service address'],
    ['::ffff:127.0.0.1', 'a loopback address (this machine)'],
    ['::ffff:10.1.2.3', 'a private network address'],
    ['::ffff:169.254.169.254', 'a cloud metadata service address'],
    ['::7f00:1', 'an IPv4-compatible IPv6 address'],
    ['64:ff9b::a00:1', 'a special-purpose address (rfc6052)'],
    ['2002:7f00:1::', 'a special-purpose address (6to4)'],
    ['240.0.0.1', 'a special-purpose address (reserved)'],
  ])('blocks %s as %s', (ip, reason) => {
    expect(blockedReason(ip, none)).toBe(reason);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('lets public %s through', (ip) => {
    expect(blockedReason(ip, none)).toBeUndefined();
  });
});

describe('parseAllowList', () => {
  it('re-enables exact IPs (either IPv6 spelling) and networks', () => {
    const allow = parseAllowList(' 127.0.0.1 , [::1], 10.0.0.0/8,fd12::/16 ,,Internal.Example. ');
    for (const ip of ['127.0.0.1', '::1', '0:0:0:0:0:0:0:1', '10.200.3.4', '::ffff:10.0.0.5', 'fd12:3::1']) {
      expect(blockedReason(ip, allow)).toBeUndefined();
    }
    expect(blockedReason('127.0.0.2', allow)).toBe('a loopback address (this machine)');
    expect(blockedReason('11.0.0.1', allow)).toBeUndefined();
    expect(blockedReason('192.168.0.1', allow)).toBe('a private network address');
    expect([...allow.names]).toEqual(['internal.example']);
  });

  it('re-enables a metadata address only when named exactly, never through a network', () => {
    expect(blockedReason('169.254.169.254', parseAllowList('169.254.0.0/16'))).toBe('a cloud metadata service address');
    expect(blockedReason('169.254.169.1', parseAllowList('169.254.0.0/16'))).toBeUndefined();
    expect(blockedReason('169.254.169.254', parseAllowList('169.254.169.254'))).toBeUndefined();
  });

  it('says which entry is wrong and where to fix it', () => {
    expect(() => parseAllowList('127.0.0.1,10.0.0.0/33')).toThrow(
      'BATON_HTTP_ALLOW_HOSTS: "10.0.0.0/33" is not a valid CIDR such as 10.0.0.0/8; fix the worker\'s environment',
    );
    expect(() => parseAllowList('http://x')).toThrow('"http://x" is a URL; list its host name only');
    expect(() => parseAllowList('bad host!')).toThrow(/"bad host!" is neither a host name, an IP address nor a CIDR/);
  });
});
