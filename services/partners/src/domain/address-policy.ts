import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may reach. Partners' endpoints live on the public internet; an endpoint pointing inside
 * (the cloud metadata service at 169.254.169.254, a database on 10.0.0.5, our own services on loopback) would let a
 * partner use our network as theirs (SSRF). Refused: loopback, private (RFC 1918), CGNAT, link-local, unique-local,
 * unspecified, multicast and reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 addresses as their IPv4 twin).
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address, in either spelling (::ffff:10.0.0.1, ::ffff:a00:1). */
function mappedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(address);
  const rest = match?.[1];
  if (!rest) return null;
  if (rest.includes('.')) return rest;
  const groups = rest.split(':');
  if (groups.length !== 2) return null;
  const [high, low] = groups.map((group) => parseInt(group, 16)) as [number, number];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export class AddressPolicy {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedAddresses = new BlockList();

  /** @param allowList comma-separated host names, addresses and CIDRs (WEBHOOK_ALLOWED_HOSTS) */
  constructor(allowList: string) {
    for (const raw of allowList.split(',').map((item) => item.trim().toLowerCase())) {
      if (!raw) continue;
      const [address, prefix] = raw.split('/');
      const family = isIP(address ?? '');
      if (family && prefix !== undefined)
        this.allowedAddresses.addSubnet(address, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
      else if (family) this.allowedAddresses.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
      else this.allowedHosts.add(raw);
    }
  }

  /** Whether a host name is exempt by name (its addresses are then not checked). */
  hostAllowed(host: string): boolean {
    return this.allowedHosts.has(host.toLowerCase());
  }

  /** Whether an address (as connected to, or as written in a URL) may be reached. */
  addressAllowed(address: string): boolean {
    const bare = address.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    if (!family) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowedAddresses.check(bare, type)) return true;
    const mapped = family === 6 ? mappedIpv4(bare) : null;
    if (mapped) return this.addressAllowed(mapped);
    return !FORBIDDEN.check(bare, type);
  }
}
