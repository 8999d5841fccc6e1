import { problem } from '@edge/problem-details';

/** Unquoted (Stripe style) or an sf-string (IETF draft `"..."`); 1..255 token characters. */
const KEY = /^(?:([A-Za-z0-9\-_.:~+/=]{1,255})|"([A-Za-z0-9\-_.:~+/=]{1,255})")$/;

/** The Idempotency-Key of a command: 428 when absent, 400 when malformed. */
export function idempotencyKeyOf(header: string | readonly string[] | undefined, command: string): string {
  if (header === undefined || header === '') {
    throw problem('precondition-required', { detail: `${command} needs an Idempotency-Key header (a unique value per command, e.g. a UUID).` });
  }
  const match = typeof header === 'string' ? KEY.exec(header) : null;
  if (!match) throw problem('invalid-header', { detail: 'Idempotency-Key must be 1 to 255 characters of A-Z a-z 0-9 - _ . : ~ + / =.' });
  return (match[1] ?? match[2]) as string;
}
