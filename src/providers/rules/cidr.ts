/**
 * IPv4 CIDR blocks as EC2 compares them: a subnet's block must lie inside one of its VPC's blocks and must not
 * overlap another subnet's. Pure arithmetic on 32-bit numbers; IPv6 blocks are not read here (they come from
 * the VPC's Amazon-provided or IPAM pools, which ccapi does not model).
 */

export interface Ipv4Block {
  /** The network address as an unsigned 32-bit number (host bits cleared). */
  network: number;
  prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** `10.0.1.0/24` as a block; undefined for anything that is not a dotted-quad IPv4 CIDR (an IPv6 block, a typo). */
export function parseIpv4Block(text: unknown): Ipv4Block | undefined {
  if (typeof text !== 'string') return undefined;
  const match = CIDR.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { network: (address & maskOf(prefix)) >>> 0, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether every address of `inner` is in `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.prefix >= outer.prefix && ((inner.network & maskOf(outer.prefix)) >>> 0) === outer.network;
}

/** Whether the two blocks share an address (aligned blocks either nest or are disjoint). */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return contains(a, b) || contains(b, a);
}
