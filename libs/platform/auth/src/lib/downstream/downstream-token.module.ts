import { ConfigurableModuleBuilder, Module, type DynamicModule, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import type { DownstreamTokenOptions } from './downstream-token.options';
import { DownstreamTokenProvider } from './downstream-token.provider';

export interface DownstreamTokenModuleExtras {
  /** Make DownstreamTokenProvider injectable everywhere (http client factories). Default true. */
  isGlobal?: boolean;
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<DownstreamTokenOptions>()
  .setClassMethodName('forRoot')
  .setExtras<DownstreamTokenModuleExtras>({ isGlobal: true }, (definition, extras): DynamicModule => {
    const provider: Provider = {
      provide: DownstreamTokenProvider,
      useFactory: (options: DownstreamTokenOptions) => new DownstreamTokenProvider(options),
      inject: [MODULE_OPTIONS_TOKEN],
    };
    return {
      ...definition,
      global: extras.isGlobal ?? true,
      providers: [...(definition.providers ?? []), provider],
      exports: [...(definition.exports ?? []), DownstreamTokenProvider],
    };
  })
  .build();

/**
 * `DownstreamTokenModule.forRoot({ client, dependencies })` / `forRootAsync({ inject, useFactory })`:
 * one DownstreamTokenProvider for the app (policies validated when the module is built; token
 * endpoints discovered at bootstrap).
 */
@Module({})
export class DownstreamTokenModule extends ConfigurableModuleClass implements OnApplicationBootstrap {
  constructor(private readonly tokens: DownstreamTokenProvider) {
    super();
  }

  /** Discovery ahead of the first request, without holding up start-up (the IdP may be down). */
  onApplicationBootstrap(): void {
    void this.tokens.prepare();
  }
}
