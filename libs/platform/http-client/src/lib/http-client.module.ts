import { Inject, Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { HttpClient } from './http-client';
import { resolveHttpClientOptions, type HttpClientOptions } from './http-client.options';

/** The injection token of the client for one dependency. */
export function httpClientToken(name: string): string {
  return `edge:http-client:${name}`;
}

/** `constructor(@InjectHttpClient('orders') private readonly orders: HttpClient) {}` */
export function InjectHttpClient(name: string): ParameterDecorator & PropertyDecorator {
  return Inject(httpClientToken(name));
}

export interface HttpClientAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Known up front: it names the injection token. */
  name: string;
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => Omit<HttpClientOptions, 'name'> | Promise<Omit<HttpClientOptions, 'name'>>;
}

/**
 * One registration per dependency; each exports its client under `httpClientToken(name)`.
 * The client closes its connections when the application shuts down (after in-flight calls).
 *
 *   imports: [
 *     HttpClientModule.register({ name: 'orders', baseUrl: settings.ordersUrl, timeoutMs: 800 }),
 *     HttpClientModule.registerAsync({ name: 'catalog', inject: [Settings], useFactory: (s: Settings) => ({ baseUrl: s.catalogUrl }) }),
 *   ]
 */
@Module({})
export class HttpClientModule {
  static register(options: HttpClientOptions): DynamicModule {
    const token = httpClientToken(options.name);
    // Checked here so that bad options fail while the module graph is assembled; built on bootstrap.
    resolveHttpClientOptions(options);
    return { module: HttpClientModule, providers: [{ provide: token, useFactory: () => new HttpClient(options) }], exports: [token] };
  }

  static registerAsync(options: HttpClientAsyncOptions): DynamicModule {
    const token = httpClientToken(options.name);
    return {
      module: HttpClientModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: token,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => new HttpClient({ ...(await options.useFactory(...args)), name: options.name }),
        },
      ],
      exports: [token],
    };
  }
}
