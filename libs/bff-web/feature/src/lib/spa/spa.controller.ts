import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '@edge/problem-details';
import { BFF_WEB_OPTIONS, type BffWebOptions } from '../bff-web.options';
import { WebRoute } from '../routing/web-route';
import { SpaFiles, type SpaFile } from './spa-files';

/** Content-Security-Policy of the SPA: its own scripts and styles only, calls to its own origin. */
export function spaContentSecurityPolicy(issuer: string): string {
  // form-action: the logout form posts here and is redirected to the IdP's end-session
  // page; Chromium checks form-action along that redirect chain.
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action 'self' ${new URL(issuer).origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The SPA's files under /web/ (its HTML needs no session: only its API calls do). */
@WebRoute('page')
@Controller('web')
export class SpaController {
  private readonly csp: string;

  constructor(
    private readonly files: SpaFiles,
    @Inject(BFF_WEB_OPTIONS) options: BffWebOptions,
  ) {
    this.csp = spaContentSecurityPolicy(options.oidc.issuer);
  }

  /**
   * `/web` is the SPA too (its assets are addressed absolutely). Not a redirect to `/web/`:
   * the gateway forwards `/web/` as `/web` (it routes and forwards without the trailing
   * slash), and a redirect would loop.
   */
  @Get()
  root(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send(request, reply, this.files.index);
  }

  @Get('*')
  file(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const path = (request.url.split('?', 1)[0] as string).slice('/web/'.length);
    if (path.startsWith('api/')) throw problem('not-found', { detail: `no API route ${request.method} /web/${path}` });
    let file = this.files.get(decodeSafe(path));
    // Paths without an extension are the SPA's own views: they get its page.
    if (!file && !/\.[A-Za-z0-9]+$/.test(path)) file = this.files.index;
    if (!file) throw problem('not-found', { detail: 'No such file.' });
    this.send(request, reply, file);
  }

  private send(request: FastifyRequest, reply: FastifyReply, file: SpaFile): void {
    reply
      .header('content-type', file.contentType)
      .header('etag', file.etag)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the
      // logout form's POST, and the Origin check (rightly) refuses it.
      .header('referrer-policy', 'same-origin')
      .header('cross-origin-opener-policy', 'same-origin');
    if (file.contentType.startsWith('text/html')) reply.header('content-security-policy', this.csp).header('x-frame-options', 'DENY');
    if (request.headers['if-none-match'] === file.etag) {
      reply.code(304).send();
      return;
    }
    reply.code(200).send(file.body);
  }
}

function decodeSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
