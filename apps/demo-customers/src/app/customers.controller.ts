import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentIdentity, RequireScopes, type Identity } from '@edge/auth';
import { callerOf, notFound, sendCacheableJson } from '@edge/demo-kit';
import { customerView, CustomerView, type CustomerProfile } from './customer.model';
import { seedCustomers } from './customers.seed';

/** Profiles are personal: a caller reads their own, anything else is 404 (not 403). */
@ApiTags('customers')
@ApiBearerAuth()
@RequireScopes('profile:read')
@Controller('customers')
export class CustomersController {
  private readonly profiles = seedCustomers();

  @Get('me')
  @ApiOperation({ summary: "The caller's profile" })
  @ApiOkResponse({ type: CustomerView })
  me(@CurrentIdentity() identity: Identity, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(request, reply, this.own(identity, identity.sub), 'Customer profile');
  }

  @Get(':id')
  @ApiOperation({ summary: 'A profile by id: only your own' })
  @ApiOkResponse({ type: CustomerView })
  byId(@Param('id') id: string, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(request, reply, this.own(identity, id), `Customer ${id}`);
  }

  private own(identity: Identity, id: string): CustomerProfile | undefined {
    const caller = callerOf(identity);
    const profile = this.profiles.get(id);
    return profile && profile.id === caller.sub && profile.tenant === caller.tenant ? profile : undefined;
  }

  private send(request: FastifyRequest, reply: FastifyReply, profile: CustomerProfile | undefined, what: string): void {
    if (!profile) notFound(what);
    sendCacheableJson(request, reply, customerView(profile), { cacheControl: 'private, no-cache' });
  }
}
