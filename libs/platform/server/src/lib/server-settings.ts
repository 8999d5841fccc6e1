import { duration, int, loadConfig, oneOf, port, string } from '@edge/config';

/** Settings every app takes from its environment (each app adds its own on top). */
export function serverSettings(defaultPort: number, env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      PORT: port({ default: defaultPort }),
      HOST: string({ default: '127.0.0.1' }),
      LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),
      REQUEST_BUDGET_MS: duration({ default: 15_000, min: 100, max: 300_000 }),
      BODY_LIMIT_BYTES: int({ default: 1_048_576, min: 1024, max: 104_857_600 }),
      SHUTDOWN_DRAIN_DELAY_MS: duration({ default: 1000, max: 120_000 }),
      SHUTDOWN_GRACE_MS: duration({ default: 10_000, max: 600_000 }),
    },
    env,
  );
}

export type ServerSettings = ReturnType<typeof serverSettings>;
