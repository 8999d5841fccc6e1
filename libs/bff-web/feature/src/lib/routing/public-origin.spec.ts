import { publicOrigin } from './public-origin';

const allowed = ['http://localhost:8080', 'http://localhost:3001'];

describe('publicOrigin', () => {
  it('is the origin the browser used, directly or through the gateway', () => {
    expect(publicOrigin({ host: 'localhost:3001' }, allowed)).toBe('http://localhost:3001');
    expect(publicOrigin({ host: '127.0.0.1:3001', 'x-forwarded-host': 'localhost:8080', 'x-forwarded-proto': 'http' }, allowed)).toBe('http://localhost:8080');
  });

  it('never leaves the allow-list: unknown hosts get the default origin', () => {
    expect(publicOrigin({ host: 'evil.example' }, allowed)).toBe('http://localhost:8080');
    expect(publicOrigin({ host: 'localhost:3001', 'x-forwarded-host': 'evil.example' }, allowed)).toBe('http://localhost:8080');
    expect(publicOrigin({ host: 'localhost:3001', 'x-forwarded-proto': 'https' }, allowed)).toBe('http://localhost:8080');
    expect(publicOrigin({}, allowed)).toBe('http://localhost:8080');
  });
});
