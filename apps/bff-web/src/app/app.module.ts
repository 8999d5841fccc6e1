import { Module, type Type } from '@nestjs/common';
import { BffWebModule, type BffWebOptions } from '@edge/bff-web-feature';
import { ObservabilityModule, type LogLevel } from '@edge/observability';

/** bff-web's root module: observability plus the web BFF feature, configured from the environment. */
export function appModule(options: BffWebOptions, level: LogLevel): Type<unknown> {
  @Module({ imports: [ObservabilityModule.forRoot({ service: 'bff-web', level }), BffWebModule.forRoot(options)] })
  class AppModule {}
  return AppModule;
}
