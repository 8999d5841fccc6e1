import { Test } from '@nestjs/testing';
import { ConfigError } from '@edge/config';
import { DownstreamTokenModule } from './downstream-token.module';
import { DownstreamTokenProvider } from './downstream-token.provider';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from './fake-token-endpoint.fixture';

describe('DownstreamTokenModule', () => {
  let idp: FakeTokenEndpoint;
  beforeEach(async () => {
    idp = await startFakeTokenEndpoint();
  });
  afterEach(async () => {
    await idp.close();
  });

  it('provides one provider from forRootAsync and discovers the token endpoint at bootstrap', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DownstreamTokenModule.forRootAsync({
          useFactory: () => ({ client: { issuer: idp.issuer, clientId: 'bff-mobile', clientSecret: 'secret' }, dependencies: { orders: { mode: 'exchange', resource: 'urn:orders-api' } } }),
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    const tokens = app.get(DownstreamTokenProvider);
    for (let i = 0; i < 50 && idp.discoveries === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(idp.discoveries).toBe(1);
    await expect(tokens.tokenFor('orders', 'alice-token')).resolves.toMatch(/^exchanged:alice-token:urn:orders-api/);
    expect(idp.discoveries).toBe(1);
    await app.close();
  });

  it('refuses to build with invalid policies', async () => {
    const compiling = Test.createTestingModule({ imports: [DownstreamTokenModule.forRoot({ dependencies: { orders: { mode: 'exchange' } } })] }).compile();
    await expect(compiling).rejects.toBeInstanceOf(ConfigError);
  });
});
