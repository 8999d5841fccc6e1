import { isIP } from 'node:net';

/** Proxies whose X-Forwarded-For we believe (the config's CIDR set, v4 and v6). */
export interface TrustedProxies {
  contains(address: string): boolean;
}

/** `::ffff:127.0.0.1` (IPv4-mapped, as Node reports v4 peers on dual-stack sockets) → `127.0.0.1`. */
export function canonicalAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export interface ClientAddress {
  /** The real client: the peer itself, or the rightmost untrusted X-Forwarded-For entry. */
  client: string;
  /** X-Forwarded-For to send upstream: the client, the trusted proxies after it, then the peer. */
  forwardedFor: string;
}

/**
 * A client's X-Forwarded-For is believed only when the peer is a trusted proxy, and then
 * only from the right up to the first untrusted hop: entries left of it were written by
 * the client and are dropped, so spoofed addresses neither reach upstreams nor make buckets.
 */
export function resolveClientAddress(peer: string | undefined, xff: string | undefined, trusted: TrustedProxies): ClientAddress {
  const remote = canonicalAddress(peer ?? '');
  if (!xff || !trusted.contains(remote)) return { client: remote, forwardedFor: remote };
  const hops = xff
    .split(',')
    .map((h) => canonicalAddress(h.trim()))
    .filter(Boolean);
  let i = hops.length - 1;
  while (i >= 0 && trusted.contains(hops[i] as string)) i--;
  if (i < 0) {
    // Every hop is a trusted proxy: the leftmost is the best we know.
    const client = hops[0] ?? remote;
    return { client, forwardedFor: [...hops, remote].join(', ') };
  }
  const client = hops[i] as string;
  if (isIP(client) === 0) return { client: remote, forwardedFor: remote };
  return { client, forwardedFor: [...hops.slice(i), remote].join(', ') };
}

/** RFC 7239 node: IPv6 addresses are quoted and bracketed. */
export function forwardedNode(address: string): string {
  return isIP(address) === 6 ? `"[${address}]"` : address;
}
