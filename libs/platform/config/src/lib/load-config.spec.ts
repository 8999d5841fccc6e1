import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bool, duration, int, list, oneOf, optional, port, string, url } from './config-fields';
import { ConfigError, loadConfig } from './load-config';
import { readConfigFile } from './load-config-file';

const spec = {
  PORT: port({ default: 3000 }),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn'] as const, { default: 'info' }),
  UPSTREAM: url(),
  TIMEOUT: duration({ default: 5000, max: 60_000 }),
  RETRIES: int({ min: 0, max: 5, default: 2 }),
  SECURE: bool({ default: true }),
  ORIGINS: list({ default: [] }),
  SESSION_KEY: string({ secret: true, minLength: 32 }),
  REDIS_URL: optional(url({ protocols: ['redis:', 'rediss:'] })),
};

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const cfg = loadConfig(spec, { UPSTREAM: 'http://x:1/', TIMEOUT: '2s', ORIGINS: 'a, b', SESSION_KEY: 'k'.repeat(32) });
    expect(cfg).toEqual({
      PORT: 3000,
      LOG_LEVEL: 'info',
      UPSTREAM: 'http://x:1',
      TIMEOUT: 2000,
      RETRIES: 2,
      SECURE: true,
      ORIGINS: ['a', 'b'],
      SESSION_KEY: 'k'.repeat(32),
      REDIS_URL: undefined,
    });
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('reports every problem at once, with its key, and never echoes secrets', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(spec, { PORT: '70000', LOG_LEVEL: 'loud', TIMEOUT: '2 weeks', RETRIES: '9', SECURE: 'maybe', SESSION_KEY: 'short-secret', REDIS_URL: 'http://r' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems.map((p) => p.key)).toEqual(['PORT', 'LOG_LEVEL', 'UPSTREAM', 'TIMEOUT', 'RETRIES', 'SECURE', 'SESSION_KEY', 'REDIS_URL']);
    expect(error?.message).not.toContain('short-secret');
    expect(error?.message).toContain('UPSTREAM: is required');
  });

  it('rejects unknown keys when asked (config files)', () => {
    expect(() => loadConfig({ A: port() }, { A: '1', B: 2 }, { rejectUnknown: true, source: 'f.yaml', keyPrefix: 'x.' })).toThrow(
      /x\.B: is not a known setting/,
    );
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  it('expands ${VAR} and ${VAR:-default}', () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a: ${A}\nb: ${B:-fallback}\n');
    expect(readConfigFile(file, { A: 'x' })).toEqual({ a: 'x', b: 'fallback' });
  });
  it('expands defaults that refer to other variables', () => {
    const file = join(dir, 'n.yaml');
    writeFileSync(file, 'jwks: ${JWKS:-${ISSUER:-http://idp}/jwks}\nplain: a}b\n');
    expect(readConfigFile(file, {})).toEqual({ jwks: 'http://idp/jwks', plain: 'a}b' });
    expect(readConfigFile(file, { ISSUER: 'https://x' })).toEqual({ jwks: 'https://x/jwks', plain: 'a}b' });
    expect(readConfigFile(file, { JWKS: 'https://k/keys', ISSUER: 'https://x' })).toEqual({ jwks: 'https://k/keys', plain: 'a}b' });
  });

  it('lists every unset variable', () => {
    const file = join(dir, 'b.yaml');
    writeFileSync(file, 'a: ${A}\nb: ${B}\n');
    expect(() => readConfigFile(file, {})).toThrow(/\$\{A\}[\s\S]*\$\{B\}/);
  });
  it('rejects duplicate keys and bad syntax', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'a: 1\na: 2\n');
    expect(() => readConfigFile(file, {})).toThrow(ConfigError);
  });
});
