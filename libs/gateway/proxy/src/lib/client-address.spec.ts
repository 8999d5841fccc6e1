import { cidrSet } from '@edge/gateway-config';
import { forwardedNode, resolveClientAddress } from './client-address';

describe('resolveClientAddress', () => {
  const trusted = cidrSet(['10.0.0.0/8', '127.0.0.1/32', '::1/128', 'fd00::/8']);

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', trusted)).toEqual({ client: '203.0.113.9', forwardedFor: '203.0.113.9' });
  });

  it('takes the rightmost untrusted hop behind trusted proxies and drops spoofed entries', () => {
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 198.51.100.7, 10.1.2.3', trusted)).toEqual({
      client: '198.51.100.7',
      forwardedFor: '198.51.100.7, 10.1.2.3, 127.0.0.1',
    });
  });

  it('handles IPv4-mapped and IPv6 peers', () => {
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.7', trusted).client).toBe('198.51.100.7');
    expect(resolveClientAddress('fd00::5', '2001:db8::1', trusted).client).toBe('2001:db8::1');
    expect(forwardedNode('2001:db8::1')).toBe('"[2001:db8::1]"');
  });

  it('falls back to the peer when the hop is garbage', () => {
    expect(resolveClientAddress('127.0.0.1', 'not-an-ip', trusted).client).toBe('127.0.0.1');
  });

  it('trusts nobody when no CIDR is configured', () => {
    expect(resolveClientAddress('127.0.0.1', '1.2.3.4', cidrSet([])).client).toBe('127.0.0.1');
  });
});
