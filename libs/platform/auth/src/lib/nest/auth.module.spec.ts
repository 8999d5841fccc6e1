import { Test } from '@nestjs/testing';
import { ConfigError } from '@edge/config';
import { AccessTokenVerifier } from '../access-token-verifier';
import { AuthModule } from './auth.module';
import { AUTH_POLICY } from './auth.module-definition';

describe('AuthModule', () => {
  it('builds the verifier from forRootAsync, with the policy resolved once', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRootAsync({
          useFactory: () => ({ issuer: 'http://127.0.0.1:1', audience: ['orders-api'], clockToleranceSec: 30, jwks: { refreshIntervalMs: 0 } }),
          globalGuard: false,
        }),
      ],
    }).compile();
    const verifier = moduleRef.get(AccessTokenVerifier);
    expect(verifier.policy).toBe(moduleRef.get(AUTH_POLICY));
    expect(verifier.policy).toMatchObject({ audiences: ['orders-api'], clockToleranceSec: 30 });
    await moduleRef.close();
  });

  it('refuses to start with an unsafe policy, listing every problem', async () => {
    const compiling = Test.createTestingModule({
      imports: [AuthModule.forRoot({ issuer: 'http://idp', audience: 'x', algorithms: ['HS256'], clockToleranceSec: 300 })],
    }).compile();
    const error = await compiling.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(['clockToleranceSec', 'algorithms']);
  });
});
