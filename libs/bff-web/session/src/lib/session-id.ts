import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: unguessable, and carries nothing about the user. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedSessionId(value: string | undefined): value is string {
  return value !== undefined && WELL_FORMED.test(value);
}

/**
 * Where a session lives in the store: a digest of its id, so that whoever can read the
 * store (a Redis dump, a log of keys) cannot present the cookie. The id's 256 bits of
 * entropy make a plain SHA-256 enough.
 */
export function sessionHandle(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

/** A digest for index keys built from identifiers (sid, sub): no personal data in key names. */
export function indexDigest(kind: string, value: string): string {
  return createHash('sha256').update(kind).update('\0').update(value).digest('base64url');
}
