import { Module, type Type } from '@nestjs/common';
import { PartnerApiModule, type PartnerSettings } from '@edge/bff-partner-api';
import { ObservabilityModule } from '@edge/observability';
import type { ServerSettings } from '@edge/server';

/** bff-partner's root module: observability and the partner API, nothing else. */
export function createAppModule(settings: PartnerSettings, logLevel: ServerSettings['LOG_LEVEL']): Type<unknown> {
  @Module({ imports: [ObservabilityModule.forRoot({ service: 'bff-partner', level: logLevel }), PartnerApiModule.forRoot(settings)] })
  class AppModule {}
  return AppModule;
}
