import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { httpClientToken, type HttpClient } from '@edge/http-client';
import type { BffEndpoint, BoundBffEndpoint } from '../bff-endpoint';
import type { Composition, RunOptions } from '../endpoint-spec';
import { CompositionConfigError } from '../validate-endpoint';
import { COMPOSITION_ENDPOINTS, type RegisteredEndpoint } from './composition.providers';
import { markComposed } from './partial-response';

/**
 * Runs the app's declared endpoints with the app's http clients. Every endpoint is bound at
 * start-up (module init): an unknown dependency anywhere stops the app with every problem
 * listed, instead of failing on the first request.
 */
@Injectable()
export class BffComposer implements OnModuleInit {
  private readonly bound = new Map<RegisteredEndpoint, BoundBffEndpoint<unknown, object>>();

  constructor(
    @Inject(COMPOSITION_ENDPOINTS) private readonly endpoints: readonly RegisteredEndpoint[],
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    const resolve = (dependency: string): HttpClient | undefined => {
      try {
        return this.moduleRef.get<HttpClient>(httpClientToken(dependency), { strict: false });
      } catch {
        return undefined;
      }
    };
    const problems: string[] = [];
    const names = new Set<string>();
    for (const endpoint of this.endpoints) {
      if (names.has(endpoint.name)) problems.push(`${endpoint.name}: registered twice`);
      names.add(endpoint.name);
      problems.push(...endpoint.bindingProblems(resolve));
    }
    if (problems.length > 0) throw new CompositionConfigError(problems);
    for (const endpoint of this.endpoints) this.bound.set(endpoint, endpoint.bind(resolve) as BoundBffEndpoint<unknown, object>);
  }

  /** The full composition (body, partial flag, warnings, per-part outcomes). */
  run<I, O extends object>(endpoint: BffEndpoint<I, O, HttpClient>, input: I, options?: RunOptions): Promise<Composition<O>> {
    const bound = this.bound.get(endpoint as unknown as RegisteredEndpoint);
    if (bound === undefined) throw new Error(`BFF endpoint "${endpoint.name}" is not registered (CompositionModule.forRoot({ endpoints }))`);
    return bound.run(input, options) as Promise<Composition<O>>;
  }

  /**
   * The one call a controller method makes: `return this.composer.respond(homeEndpoint, input)`.
   * Resolves to the DTO (with `warnings` when partial); the PartialResponseInterceptor adds
   * `Partial-Response: true` and `Cache-Control: no-store` to partial ones.
   */
  async respond<I, O extends object>(endpoint: BffEndpoint<I, O, HttpClient>, input: I, options?: RunOptions): Promise<Composition<O>['body']> {
    const composition = await this.run(endpoint, input, options);
    return markComposed(composition);
  }
}
