import { MemoryStateStore, type StateStore } from '@edge/state';
import pino from 'pino';
import type { CompiledGatewayConfig } from '@edge/gateway-config';
import type { UpstreamFetch } from '../cache/upstream-fetch';
import { createPolicyEngine, type EdgePolicyEngine } from '../create-policy-engine';
import { runExchange, type FakeUpstream, type FakeUpstreamResponse } from './run-exchange';
import { testExchange, type TestRequest } from './test-exchange';

export interface Harness {
  engine: EdgePolicyEngine;
  /** Requests the upstream received (forwarded header lists, lower-cased names). */
  seen: { url: string; headers: Record<string, string> }[];
  call(request: TestRequest, answer?: FakeUpstreamResponse | 'fail' | ((n: number) => FakeUpstreamResponse | 'fail')): ReturnType<typeof runExchange>;
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

/**
 * An engine with a controllable clock and a counting fake upstream: what the cache, transform
 * and compression tests drive. `answer` defaults to a small cacheable JSON response.
 */
export function harness(config: CompiledGatewayConfig, options: { state?: StateStore; fetchUpstream?: UpstreamFetch } = {}): Harness {
  let now = Date.now();
  const clock = () => now;
  const state = options.state ?? new MemoryStateStore(1_000_000, clock);
  const engine = createPolicyEngine(config, { state, log: pino({ level: 'silent' }), now: clock, fetchUpstream: options.fetchUpstream });
  const seen: Harness['seen'] = [];
  return {
    engine,
    seen,
    call(request, answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"n":1}' }) {
      const { exchange } = testExchange(config, request);
      const upstream: FakeUpstream = ({ headers }) => {
        const record: Record<string, string> = {};
        for (let i = 0; i < headers.length; i += 2) record[(headers[i] as string).toLowerCase()] = headers[i + 1] as string;
        seen.push({ url: request.url, headers: record });
        return typeof answer === 'function' ? answer(seen.length) : answer;
      };
      return runExchange(engine, exchange, upstream);
    },
    advance: (ms) => (now += ms),
    now: clock,
    close: () => engine.close(),
  };
}
