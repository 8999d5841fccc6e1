import { createHash } from 'node:crypto';
import { problem } from '@edge/problem-details';

/** Unquoted (Stripe style) or an sf-string (IETF draft: `"..."`); 1..255 token characters. */
const KEY = /^"?([A-Za-z0-9\-_.:~+/=]{1,255})"?$/;

/** The Idempotency-Key of a request: 428 when absent, 400 when malformed. */
export function idempotencyKeyOf(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw problem('precondition-required', { detail: 'POST /orders needs an Idempotency-Key header (a unique value per order, e.g. a UUID).' });
  }
  const match = typeof header === 'string' ? KEY.exec(header) : null;
  if (!match || (header as string).startsWith('"') !== (header as string).endsWith('"')) {
    throw problem('invalid-header', { detail: 'Idempotency-Key must be 1 to 255 characters of A-Z a-z 0-9 - _ . : ~ + / =.' });
  }
  return match[1] as string;
}

/** JSON with sorted keys, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What "the same request" means for a key: method, path and body. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('base64url');
}
