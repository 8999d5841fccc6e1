import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentIdentity, RequireScopes, type Identity } from '@edge/auth';
import { callerOf, sendCacheableJson } from '@edge/demo-kit';
import { recommend } from './recommend';

export const MAX_RECOMMENDATIONS = 20;

export class RecommendationsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RECOMMENDATIONS, default: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RECOMMENDATIONS)
  limit?: number;
}

export class RecommendationDto {
  @ApiProperty() productId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) score!: number;
}

export class RecommendationList {
  @ApiProperty({ type: [RecommendationDto] }) items!: RecommendationDto[];
}

@ApiTags('recommendations')
@ApiBearerAuth()
@Controller('recommendations')
export class RecommendationsController {
  @Get()
  @RequireScopes('recommendations:read')
  @ApiOperation({ summary: 'Products recommended for the caller' })
  @ApiOkResponse({ type: RecommendationList })
  list(@Query() query: RecommendationsQuery, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const caller = callerOf(identity);
    const body: RecommendationList = { items: recommend(caller.sub, caller.tenant, query.limit ?? 5) };
    sendCacheableJson(request, reply, body, { cacheControl: 'private, max-age=300' });
  }
}
