import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@edge/auth';
import { BffComposer } from '@edge/composition';
import { MOBILE_BASE_PATH, type MobileHomeDto } from '@edge/contracts-mobile';
import { MobileClientGuard } from '../http/mobile-client.guard';
import { HomeSchema } from '../openapi/mobile.schemas';
import { homeEndpoint } from './home.endpoint';

@ApiTags('home')
@ApiBearerAuth()
@Controller(MOBILE_BASE_PATH.slice(1))
@UseGuards(MobileClientGuard)
export class HomeController {
  constructor(private readonly composer: BffComposer) {}

  @Get('home')
  @ApiOkResponse({ type: HomeSchema, description: 'Partial when recommendations are unavailable: `warnings` + `Partial-Response: true`' })
  @RequireScopes('profile:read', 'orders:read')
  home(): Promise<MobileHomeDto> {
    return this.composer.respond(homeEndpoint, undefined);
  }
}
