import { timingSafeEqual } from 'node:crypto';
import type { Account, FindAccount } from 'oidc-provider';

/** A development user (DESIGN.md §3). Everyone's password is "password". */
export interface DevUser {
  id: string;
  tenant: string;
  name: string;
  email: string;
}

export const DEV_PASSWORD = 'password';

export const devUsers: ReadonlyMap<string, DevUser> = new Map(
  [
    { id: 'alice', tenant: 'acme', name: 'Alice Anderson', email: 'alice@acme.example' },
    { id: 'bob', tenant: 'acme', name: 'Bob Brown', email: 'bob@acme.example' },
    { id: 'carol', tenant: 'globex', name: 'Carol Chen', email: 'carol@globex.example' },
  ].map((u) => [u.id, Object.freeze(u)]),
);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user for a login form submission, or undefined (unknown user and wrong password look the same). */
export function authenticate(login: string, password: string): DevUser | undefined {
  const user = devUsers.get(login.trim().toLowerCase());
  const passwordOk = sameText(password, DEV_PASSWORD);
  return user && passwordOk ? user : undefined;
}

/** The claims a user's ID token carries (scope-independent: these are first-party dev clients). */
export function userClaims(user: DevUser) {
  return { sub: user.id, tenant: user.tenant, name: user.name, email: user.email, preferred_username: user.id };
}

export const findAccount: FindAccount = (_ctx, sub) => {
  const user = devUsers.get(sub);
  if (!user) return undefined;
  const account: Account = {
    accountId: user.id,
    claims: () => userClaims(user),
  };
  return account;
};
