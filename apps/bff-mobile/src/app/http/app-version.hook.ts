import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { APP_PLATFORM_HEADER, APP_VERSION_HEADER, MOBILE_BASE_PATH, type AppPlatform } from '@edge/contracts-mobile';
import { metricsRegistry } from '@edge/observability';
import { problem } from '@edge/problem-details';
import type { MobileSettings } from '../settings/mobile-settings';
import { compareVersions, isPlatform, parseVersion, VersionLabels } from './app-version';
import { replyProblem } from './reply-problem';

const requestsByVersion = new Counter({
  name: 'bff_mobile_requests_total',
  help: 'Mobile API requests by app platform and version (major.minor; bounded, later versions "other"; "none" without the header)',
  labelNames: ['platform', 'app_version', 'outcome'] as const,
  registers: [metricsRegistry],
});

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * App releases outlive server releases: every mobile API request says which app it is
 * (`X-App-Version`, `X-App-Platform`); versions below the platform's configured minimum get
 * 426 upgrade-required with where to upgrade. Runs before authentication, so an old app
 * learns it must upgrade even with an expired token. Requests without the headers (tools,
 * tests) pass and count as "none".
 */
export function installAppVersionGate(fastify: FastifyInstance, settings: MobileSettings): void {
  const minimum: Record<AppPlatform, [number, number, number]> = {
    ios: parseVersion(settings.MOBILE_MIN_VERSION_IOS) ?? [0, 0, 0],
    android: parseVersion(settings.MOBILE_MIN_VERSION_ANDROID) ?? [0, 0, 0],
  };
  const upgradeUrl: Record<AppPlatform, string | undefined> = { ios: settings.MOBILE_UPGRADE_URL_IOS, android: settings.MOBILE_UPGRADE_URL_ANDROID };
  const labels = new VersionLabels(settings.MOBILE_VERSION_LABELS_MAX);
  const prefix = `${MOBILE_BASE_PATH}/`;

  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(prefix)) return;
    const rawVersion = single(request.headers[APP_VERSION_HEADER]);
    const rawPlatform = single(request.headers[APP_PLATFORM_HEADER])?.toLowerCase();
    if (rawVersion === undefined && rawPlatform === undefined) {
      requestsByVersion.inc({ platform: 'none', app_version: 'none', outcome: 'served' });
      return;
    }
    const version = rawVersion === undefined ? undefined : parseVersion(rawVersion);
    const platform = rawPlatform !== undefined && isPlatform(rawPlatform) ? rawPlatform : undefined;
    if (version === undefined || platform === undefined) {
      requestsByVersion.inc({ platform: platform ?? 'invalid', app_version: version ? labels.labelOf(version) : 'invalid', outcome: 'refused' });
      const field = version === undefined ? APP_VERSION_HEADER : APP_PLATFORM_HEADER;
      return replyProblem(request, reply, problem('invalid-header', {
        detail: `${APP_VERSION_HEADER} must be a version like 3.12.0 and ${APP_PLATFORM_HEADER} one of ios, android.`,
        extensions: { errors: [{ field, detail: version === undefined ? 'must be major.minor[.patch]' : 'must be ios or android' }] },
      }));
    }
    const label = labels.labelOf(version);
    if (compareVersions(version, minimum[platform]) < 0) {
      requestsByVersion.inc({ platform, app_version: label, outcome: 'upgrade-required' });
      const minimumVersion = minimum[platform].join('.');
      return replyProblem(request, reply, problem('upgrade-required', {
        detail: `This version of the app is no longer supported on ${platform}. Please update to ${minimumVersion} or later.`,
        extensions: { platform, minimumVersion, ...(upgradeUrl[platform] ? { upgradeUrl: upgradeUrl[platform] } : {}) },
      }));
    }
    requestsByVersion.inc({ platform, app_version: label, outcome: 'served' });
    return;
  });
}
