import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpClient } from './http-client';
import { HttpClientModule, httpClientToken, InjectHttpClient } from './http-client.module';
import { HttpClientConfigError } from './http-client.options';
import './request-context.fixture';

class Settings {
  constructor(readonly catalogUrl: string) {}
}

@Injectable()
class Home {
  constructor(
    @InjectHttpClient('orders') readonly orders: HttpClient,
    @InjectHttpClient('catalog') readonly catalog: HttpClient,
  ) {}
}

describe('HttpClientModule', () => {
  let orders: EchoUpstream;
  let catalog: EchoUpstream;
  beforeEach(async () => {
    orders = await startEchoUpstream();
    catalog = await startEchoUpstream();
  });
  afterEach(async () => {
    await orders.close();
    await catalog.close();
  });

  it('registers one named client per dependency, statically or from injected config, and closes them on shutdown', async () => {
    @Module({ providers: [{ provide: Settings, useValue: new Settings(catalog.url) }], exports: [Settings] })
    class SettingsModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        HttpClientModule.register({ name: 'orders', baseUrl: orders.url, timeoutMs: 500 }),
        HttpClientModule.registerAsync({ name: 'catalog', imports: [SettingsModule], inject: [Settings], useFactory: (s: Settings) => ({ baseUrl: s.catalogUrl }) }),
      ],
      providers: [Home],
    }).compile();
    const app = await moduleRef.init();

    const home = app.get(Home);
    expect(home.orders).toBeInstanceOf(HttpClient);
    expect(home.orders).toBe(app.get(httpClientToken('orders')));
    expect(home.orders.options.timeoutMs).toBe(500);
    expect(home.catalog.name).toBe('catalog');
    await home.orders.get('/orders');
    await home.catalog.get('/products');
    expect(orders.requests.map((r) => r.url)).toEqual(['/orders']);
    expect(catalog.requests.map((r) => r.url)).toEqual(['/products']);

    await app.close();
    // The pools are closed: no more calls go out.
    await expect(home.orders.get('/orders')).rejects.toBeDefined();
    expect(orders.requests).toHaveLength(1);
  });

  it('fails at registration with every problem in the options', () => {
    expect(() => HttpClientModule.register({ name: 'orders', baseUrl: 'nope', timeoutMs: -1 })).toThrow(HttpClientConfigError);
  });
});
