import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { RateLimitKey } from '@edge/gateway-config';
import type { Exchange } from '../exchange';

/** Expands an IPv6 address to 8 hextets (zone ids dropped, embedded IPv4 converted). */
function hextets(ip: string): number[] | undefined {
  let text = ip.split('%', 1)[0] as string;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = (v4[1] as string).split('.').map(Number);
    text = text.slice(0, v4.index) + `${(((parts[0] as number) << 8) | (parts[1] as number)).toString(16)}:${(((parts[2] as number) << 8) | (parts[3] as number)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const all = [...left, ...new Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((h) => parseInt(h, 16));
  return all.length === 8 && all.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff) ? all : undefined;
}

/**
 * The rate-limit bucket of a client address: IPv4 as is (IPv4-mapped IPv6 unmapped, so one
 * client is one bucket on a dual-stack socket); IPv6 by its /64, because one subscriber
 * usually holds a whole /64 and could otherwise rotate through 2^64 fresh buckets.
 */
export function clientBucket(ip: string): string {
  const version = isIP(ip.split('%', 1)[0] as string);
  if (version === 4) return ip;
  if (version !== 6) return ip;
  const h = hextets(ip);
  if (!h) return ip;
  if (h.slice(0, 5).every((n) => n === 0) && h[5] === 0xffff) return `${(h[6] as number) >> 8}.${(h[6] as number) & 255}.${(h[7] as number) >> 8}.${(h[7] as number) & 255}`;
  return `${h.slice(0, 4).map((n) => n.toString(16)).join(':')}::/64`;
}

/** API keys are never stored or logged: buckets are named by a digest of the key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

type PartReader = (exchange: Exchange) => string | undefined;

const readers: Record<RateLimitKey, PartReader> = {
  ip: (e) => clientBucket(e.clientIp),
  user: (e) => e.identity?.sub,
  tenant: (e) => e.identity?.tenant,
  client: (e) => e.identity?.clientId,
  apiKey: (e) => (e.apiKey ? hashApiKey(e.apiKey) : undefined),
};

/**
 * Builds the bucket name of a policy for a request: `part=value` pairs (values escaped, so a
 * tenant named `a|user=b` cannot collide with another combination). undefined when a part is
 * missing (no identity, no tenant claim, no key).
 */
export function keyBuilder(keyBy: readonly RateLimitKey[]): (exchange: Exchange) => string | undefined {
  const parts = [...new Set(keyBy)].map((k) => [k, readers[k]] as const);
  return (exchange) => {
    let key = '';
    for (const [name, read] of parts) {
      const value = read(exchange);
      if (value === undefined || value === '') return undefined;
      key += `${key ? '|' : ''}${name}=${encodeURIComponent(value)}`;
    }
    return key;
  };
}
