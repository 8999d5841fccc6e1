import type { Server } from 'node:http';
import type { Readiness } from './readiness';

export interface ShutdownOptions {
  /** Time between readiness going false and the listener closing (load balancers notice). */
  drainDelayMs: number;
  /** Longest wait for in-flight requests once the listener is closed. */
  graceMs: number;
  /** Logs what happens; defaults to stderr JSON-free lines. */
  log?: (message: string) => void;
}

export interface ShutdownHooks {
  /** Stop accepting and wait for in-flight requests (resolves when all are done). */
  closeServer: () => Promise<void>;
  /** Release everything else (pools, clients) after the server is closed. */
  cleanup?: () => Promise<void>;
  /** When the grace period ran out: cut the remaining connections. */
  forceClose?: () => void;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * SIGTERM/SIGINT drain (DESIGN.md §4): readiness false → wait drainDelay (still serving)
 * → stop accepting, finish in-flight requests up to the grace period → cleanup → exit 0.
 * A second signal during the drain exits at once.
 */
export function installGracefulShutdown(readiness: Readiness, hooks: ShutdownHooks, options: ShutdownOptions): () => Promise<void> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  let shuttingDown: Promise<void> | undefined;

  const shutdown = async (): Promise<void> => {
    readiness.markDraining();
    log(`draining: readiness false, closing listener in ${options.drainDelayMs}ms`);
    await delay(options.drainDelayMs);
    let timedOut = false;
    const grace = delay(options.graceMs).then(() => {
      timedOut = true;
    });
    await Promise.race([hooks.closeServer(), grace]);
    if (timedOut) {
      log(`grace period of ${options.graceMs}ms over: closing remaining connections`);
      hooks.forceClose?.();
    }
    await Promise.race([hooks.cleanup?.() ?? Promise.resolve(), delay(Math.min(options.graceMs, 5000))]);
    log('drained; exiting');
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    log(`${signal} received`);
    shuttingDown = shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => shuttingDown ?? (shuttingDown = shutdown());
}

/** For plain Node servers: close the listener and wait for in-flight requests. */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
