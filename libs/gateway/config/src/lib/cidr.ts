import { BlockList, isIP } from 'node:net';
import type { Parsed } from './path-pattern';

export interface Cidr {
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128). */
export function parseCidr(text: string): Parsed<Cidr> {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return { ok: false, message: `"${text}" is not a CIDR block` };
  const version = isIP(address);
  if (version === 0) return { ok: false, message: `"${text}" is not an IPv4/IPv6 address or CIDR block` };
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ok: true, value: { family: version === 4 ? 'ipv4' : 'ipv6', address, prefix: max } };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, message: `"${text}": the prefix length must be 0-${max}` };
  }
  return { ok: true, value: { family: version === 4 ? 'ipv4' : 'ipv6', address, prefix: Number(prefixText) } };
}

/** A set of CIDR blocks; IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) match IPv4 blocks. */
export interface CidrSet {
  readonly cidrs: readonly string[];
  readonly isEmpty: boolean;
  contains(ip: string): boolean;
}

/** Builds a set from (valid) CIDR texts; the BlockList stays private so the set is immutable. */
export function cidrSet(texts: readonly string[]): CidrSet {
  const list = new BlockList();
  for (const text of texts) {
    const parsed = parseCidr(text);
    if (parsed.ok) list.addSubnet(parsed.value.address, parsed.value.prefix, parsed.value.family);
  }
  const isEmpty = texts.length === 0;
  return {
    cidrs: [...texts],
    isEmpty,
    contains(ip: string): boolean {
      if (isEmpty) return false;
      const version = isIP(ip);
      return version !== 0 && list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
