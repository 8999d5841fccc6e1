import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@edge/auth';
import { validationProblem } from '../validation/field-errors';
import { parseFaultSettings, type FaultSettings } from './fault-settings';
import { FaultState } from './fault-state';

const NONE: FaultSettings = { latencyMs: 0, errorRate: 0, status: 503, mode: null };

/**
 * `PUT/GET/DELETE /__faults` on the service's own port (the gateway never routes it).
 * Only registered when FAULTS_ENABLED=true; otherwise the path is an ordinary 404.
 */
@Public()
@ApiExcludeController()
@Controller('__faults')
export class FaultsController {
  constructor(private readonly faults: FaultState) {}

  @Get()
  current(): FaultSettings {
    return this.faults.current ?? NONE;
  }

  @Put()
  @HttpCode(200)
  set(@Body() body: unknown): FaultSettings {
    const parsed = parseFaultSettings(body);
    if ('errors' in parsed) throw validationProblem(parsed.errors);
    this.faults.set(parsed.settings);
    return parsed.settings;
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.faults.clear();
  }
}
