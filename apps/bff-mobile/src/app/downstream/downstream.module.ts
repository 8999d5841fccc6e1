import type { DynamicModule } from '@nestjs/common';
import { authorizeWith, DownstreamTokenModule, DownstreamTokenProvider, type DownstreamTokenPolicy } from '@edge/auth';
import { HttpClientModule, type AuthorizeContext } from '@edge/http-client';
import type { MobileSettings } from '../settings/mobile-settings';
import { DEPENDENCIES, type DependencyName } from './dependencies';
import { countDownstreamCall } from './downstream-calls';

/**
 * The modules to import for the domain services: one http client per service (injectable as
 * `@InjectHttpClient(name)` where they are imported), each presenting a token exchanged for
 * that service's audience (client `bff-mobile`) and counting its calls against the request's budget.
 */
export function downstreamModules(settings: MobileSettings): DynamicModule[] {
  const names = Object.keys(DEPENDENCIES) as DependencyName[];
  const policies: Record<string, DownstreamTokenPolicy> = {};
  for (const name of names) policies[name] = DEPENDENCIES[name].tokens;
  return [
    DownstreamTokenModule.forRoot({
      client: {
        issuer: settings.OIDC_ISSUER,
        ...(settings.OIDC_TOKEN_ENDPOINT ? { tokenEndpoint: settings.OIDC_TOKEN_ENDPOINT } : {}),
        clientId: settings.BFF_MOBILE_CLIENT_ID,
        clientSecret: settings.BFF_MOBILE_CLIENT_SECRET,
      },
      dependencies: policies,
    }),
    ...names.map((name) =>
      HttpClientModule.registerAsync({
        name,
        inject: [DownstreamTokenProvider],
        useFactory: (tokens: DownstreamTokenProvider) => {
          const authorize = authorizeWith(tokens, name);
          return {
            baseUrl: settings[DEPENDENCIES[name].urlSetting],
            timeoutMs: settings.DOWNSTREAM_TIMEOUT_MS,
            authorize: (context: AuthorizeContext) => {
              countDownstreamCall(context.request);
              return authorize(context);
            },
          };
        },
      }),
    ),
  ];
}
