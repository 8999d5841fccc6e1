import { authenticate, devUsers, userClaims } from './accounts';

describe('dev accounts', () => {
  it('has alice and bob in acme and carol in globex', () => {
    expect([...devUsers.values()].map((u) => [u.id, u.tenant])).toEqual([
      ['alice', 'acme'],
      ['bob', 'acme'],
      ['carol', 'globex'],
    ]);
  });

  it('authenticates with the dev password only', () => {
    expect(authenticate('alice', 'password')?.id).toBe('alice');
    expect(authenticate(' Carol ', 'password')?.id).toBe('carol');
    expect(authenticate('alice', 'Password')).toBeUndefined();
    expect(authenticate('alice', '')).toBeUndefined();
    expect(authenticate('mallory', 'password')).toBeUndefined();
  });

  it('gives ID tokens the tenant and the profile claims', () => {
    expect(userClaims(devUsers.get('bob') as NonNullable<ReturnType<typeof devUsers.get>>)).toEqual({
      sub: 'bob',
      tenant: 'acme',
      name: 'Bob Brown',
      email: 'bob@acme.example',
      preferred_username: 'bob',
    });
  });
});
