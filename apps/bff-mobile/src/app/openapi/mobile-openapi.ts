import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { APP_PLATFORMS, APP_PLATFORM_HEADER, APP_VERSION_HEADER } from '@edge/contracts-mobile';

/** The published mobile API (OpenAPI 3.1), generated once at start-up from the controllers. */
export function mobileOpenApi(app: INestApplication, include: Type<unknown>[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Mobile API')
    .setDescription(
      `One API for the iOS and Android apps. Send \`${APP_VERSION_HEADER}\` and \`${APP_PLATFORM_HEADER}\` (${APP_PLATFORMS.join(' | ')}); ` +
        'apps older than the supported minimum get 426 upgrade-required. GET responses carry strong ETags (send If-None-Match for 304); ' +
        'composed responses may be partial (200 + `warnings` + `Partial-Response: true`). Errors are application/problem+json.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { include });
}
