import { AsyncLocalStorage } from 'node:async_hooks';
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Parses TRUSTED_PROXIES: IPs or CIDRs (v4 or v6), separated by commas or spaces. Throws on anything else. */
export function parseTrustedProxies(list: string | undefined): BlockList {
  const trusted = new BlockList();
  for (const entry of (list ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      trusted.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`bad prefix length: ${entry}`);
    trusted.addSubnet(address, prefix, type);
  }
  return trusted;
}

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) → "10.0.0.1", so one client has one spelling. */
function canonical(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped?.[1] ?? trimmed).toLowerCase();
}

function isTrusted(trusted: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The address of the client as far as we can trust it: the TCP peer, unless the peer is a configured proxy, in which
 * case X-Forwarded-For is read from the right (the hop our proxy added) leftwards, skipping further trusted proxies.
 * Anything left of the first untrusted hop was written by the client and could be anything.
 */
export function clientAddressOf(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList,
): string {
  let client = canonical(peer ?? 'unknown');
  if (!forwardedFor || !isTrusted(trusted, client)) return client;
  const hops = forwardedFor.split(',').map(canonical).reverse();
  for (const hop of hops) {
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return client;
}

const requestAddress = new AsyncLocalStorage<string>();

/**
 * Express middleware that makes the client address of the request available to the domain code it calls (the
 * resolvers' context is built by the shared server, which does not know about addresses).
 */
export function clientAddressScope(trusted: BlockList) {
  return (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
    const forwarded = req.headers['x-forwarded-for'];
    const forwardedFor = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const address = clientAddressOf(req.socket.remoteAddress, forwardedFor, trusted);
    requestAddress.run(address, next);
  };
}

/** The current request's client address; 'unknown' outside a request (scripts, seeds), which shares one budget. */
export function currentClientAddress(): string {
  return requestAddress.getStore() ?? 'unknown';
}
