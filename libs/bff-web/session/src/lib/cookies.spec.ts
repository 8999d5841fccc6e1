import { clearCookie, LOGIN_COOKIE, loginCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies';

describe('cookies', () => {
  it('session cookie: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain, no Max-Age', () => {
    const header = sessionCookie('abc');
    expect(header).toBe(`${SESSION_COOKIE}=abc; Path=/; Secure; HttpOnly; SameSite=Strict`);
    expect(SESSION_COOKIE.startsWith('__Host-')).toBe(true);
    expect(header).not.toMatch(/domain/i);
  });

  it('login-flow cookie: Lax (it must survive the IdP redirect), short-lived', () => {
    expect(loginCookie('sealed', 600)).toBe(`${LOGIN_COOKIE}=sealed; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600`);
    expect(clearCookie(LOGIN_COOKIE, 'Lax')).toBe(`${LOGIN_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0`);
  });

  it('reads the first value of a named cookie only', () => {
    expect(readCookie(`a=1; ${SESSION_COOKIE}=xyz; ${SESSION_COOKIE}=other`, SESSION_COOKIE)).toBe('xyz');
    expect(readCookie(`x${SESSION_COOKIE}=no`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(['a=1', `${SESSION_COOKIE}=v`], SESSION_COOKIE)).toBe('v');
  });
});
