import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './metrics';

@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('cache-control', 'no-store')
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
