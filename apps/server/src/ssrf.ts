import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses outbound HTTP must not reach unless allow-listed (ARCHITECTURE §7). */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::254', 128], // AWS metadata over IPv6
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

const BLOCKED_NAMES = new Set(['localhost', 'metadata.google.internal', 'metadata']);

/** Thrown when an outbound URL points somewhere the server must not go. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

/** Whether an IP address (v4 or v6, v4-mapped included) is loopback, private, link-local or reserved. */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return isBlockedAddress(mapped[1]);
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

/**
 * Checks an outbound URL: http(s) only, and every address its host resolves to must be public
 * unless the host is on the allowlist. Resolves to the parsed URL or throws OutboundRefusedError.
 *
 * Known gap: the address is checked before `fetch` resolves the name again, so a DNS answer that
 * changes in between (rebinding) is not caught; pinning the address needs a custom dispatcher.
 */
export async function checkOutboundUrl(
  raw: string,
  allowlist: readonly string[],
  resolve: (host: string) => Promise<readonly string[]> = resolveAll,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefusedError(`Not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefusedError(`Only http and https URLs are allowed, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OutboundRefusedError('URLs with credentials are not allowed');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allowlist.includes(host)) return url;
  if (BLOCKED_NAMES.has(host) || host.endsWith('.localhost')) {
    throw new OutboundRefusedError(
      `${host} is a local address; add it to SWITCHYARD_OUTBOUND_ALLOWLIST to allow it`,
    );
  }
  const addresses = isIP(host) === 0 ? await resolve(host) : [host];
  if (addresses.length === 0) throw new OutboundRefusedError(`${host} does not resolve`);
  for (const address of addresses) {
    if (allowlist.includes(address)) continue;
    if (isBlockedAddress(address)) {
      throw new OutboundRefusedError(
        `${host} resolves to ${address}, a loopback, private, link-local or metadata address; ` +
          'add it to SWITCHYARD_OUTBOUND_ALLOWLIST to allow it',
      );
    }
  }
  return url;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    const results = await lookup(host, { all: true, verbatim: true });
    return results.map((result) => result.address);
  } catch {
    throw new OutboundRefusedError(`${host} does not resolve`);
  }
}
