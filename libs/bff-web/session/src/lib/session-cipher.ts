import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An AES-256 key and the short id that names it in sealed values (for rotation). */
export interface SessionKey {
  readonly id: string;
  readonly key: Buffer;
}

export function sessionKey(key: Buffer): SessionKey {
  if (key.length !== 32) throw new Error('a session encryption key is 32 bytes (AES-256)');
  return Object.freeze({ id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key });
}

/**
 * AES-256-GCM for everything bff-web keeps about a browser (session records at rest, the
 * login-flow cookie). The first key seals; every key opens, so a new key can be rolled out
 * before the old one is retired. The associated data binds a sealed value to where it is
 * kept (its store key, its cookie name): a record copied to another key does not open.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url).
 */
export class SessionCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: SessionKey;

  constructor(keys: readonly SessionKey[]) {
    const [current] = keys;
    if (!current) throw new Error('SessionCipher needs at least one key');
    this.current = current;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${this.current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** The plaintext, or undefined when the value is malformed, sealed with an unknown key, or tampered with. */
  open(sealed: string, associatedData: string): string | undefined {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
    const key = this.keys.get(parts[1] as string);
    if (!key) return undefined;
    const iv = Buffer.from(parts[2] as string, 'base64url');
    const body = Buffer.from(parts[3] as string, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
