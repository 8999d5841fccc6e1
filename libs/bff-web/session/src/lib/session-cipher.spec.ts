import { randomBytes } from 'node:crypto';
import { SessionCipher, sessionKey } from './session-cipher';
import { parseSessionKeys } from './session-keys';

describe('SessionCipher', () => {
  const k1 = sessionKey(randomBytes(32));
  const k2 = sessionKey(randomBytes(32));

  it('seals with AES-256-GCM: round trip, fresh IV each time, plaintext not visible', () => {
    const cipher = new SessionCipher([k1]);
    const a = cipher.seal('refresh-token-value', 'session:abc');
    const b = cipher.seal('refresh-token-value', 'session:abc');
    expect(a).not.toBe(b);
    expect(a).not.toContain('refresh-token-value');
    expect(Buffer.from(a.split('.')[3]!, 'base64url').toString('utf8')).not.toContain('refresh');
    expect(cipher.open(a, 'session:abc')).toBe('refresh-token-value');
  });

  it('refuses tampering, other associated data and unknown keys', () => {
    const cipher = new SessionCipher([k1]);
    const sealed = cipher.seal('{"x":1}', 'session:abc');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(cipher.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'session:abc')).toBeUndefined();
    expect(cipher.open(sealed, 'session:other')).toBeUndefined();
    expect(new SessionCipher([k2]).open(sealed, 'session:abc')).toBeUndefined();
    expect(cipher.open('garbage', 'session:abc')).toBeUndefined();
    expect(cipher.open('v1.x.y.z', 'session:abc')).toBeUndefined();
  });

  it('rotates: the first key seals, every key opens', () => {
    const old = new SessionCipher([k1]).seal('old', 'aad');
    const rotated = new SessionCipher([k2, k1]);
    expect(rotated.open(old, 'aad')).toBe('old');
    expect(new SessionCipher([k1]).open(rotated.seal('new', 'aad'), 'aad')).toBeUndefined();
  });
});

describe('parseSessionKeys', () => {
  const hex = randomBytes(32).toString('hex');
  const b64 = randomBytes(32).toString('base64');
  const b64url = randomBytes(32).toString('base64url');

  it('accepts hex, base64 and base64url keys, comma-separated for rotation', () => {
    const parsed = parseSessionKeys(`${hex}, ${b64},${b64url}`, 'production');
    expect('keys' in parsed && parsed.keys.map((k) => k.key.toString('hex'))).toEqual([
      hex,
      Buffer.from(b64, 'base64').toString('hex'),
      Buffer.from(b64url, 'base64url').toString('hex'),
    ]);
    expect('keys' in parsed && parsed.development).toBe(false);
  });

  it('uses the development key only outside production', () => {
    const dev = parseSessionKeys(undefined, 'development');
    expect('keys' in dev && dev.development).toBe(true);
    expect(parseSessionKeys('', 'production')).toEqual({ problem: expect.stringContaining('required when NODE_ENV=production') });
    const devKeyHex = 'keys' in dev ? dev.keys[0]!.key.toString('hex') : '';
    expect(parseSessionKeys(devKeyHex, 'production')).toEqual({ problem: expect.stringContaining('development key') });
  });

  it('reports malformed keys without echoing them', () => {
    const result = parseSessionKeys(`${hex},not-a-key-but-secret`, 'test');
    expect(result).toEqual({ problem: expect.stringContaining('entry 2') });
    expect(JSON.stringify(result)).not.toContain('not-a-key-but-secret');
    expect(parseSessionKeys(hex.slice(2), 'test')).toHaveProperty('problem');
  });
});
