import { Agent, request } from 'node:http';

export interface PacedLoadOptions {
  /** Requests per second, sent on a schedule whatever the answers. */
  rate: number;
  seconds: number;
  /** Keep-alive connections to spread the requests over. */
  connections: number;
  headers?: Record<string, string>;
}

export interface PacedLoadResult {
  requests: number;
  /** Latency percentiles in milliseconds, to the microsecond. */
  p50: number;
  p99: number;
  /** Answers other than 2xx, and failed requests. */
  failures: number;
}

/** The value at `q` (0–1) of sorted numbers (nearest rank). */
export function percentile(sorted: Float64Array | readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * An open-loop load at a fixed rate with microsecond latencies (autocannon records whole
 * milliseconds, too coarse for "adds < 1 ms"). Requests leave on a schedule, not when earlier
 * ones answered, and each latency counts from when its request was due, so a stall anywhere
 * shows in the tail instead of slowing the sender (no coordinated omission, as wrk2 does it).
 */
export async function pacedLoad(url: string, options: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(url);
  // node:http with a keep-alive agent: the bench, an app, does not import HTTP client packages.
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const intervalMs = 1000 / options.rate;
  const latencies = new Float64Array(total);
  let failures = 0;
  try {
    await new Promise<void>((resolve) => {
      let sent = 0;
      let settled = 0;
      const start = performance.now();
      const send = (i: number) => {
        const due = start + i * intervalMs;
        const settle = (ok: boolean) => {
          if (!ok) failures++;
          latencies[i] = performance.now() - due;
          if (++settled === total) resolve();
        };
        get(agent, target, options.headers).then((status) => settle(status >= 200 && status < 300), () => settle(false));
      };
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
        while (sent < due) send(sent++);
        if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
      };
      tick();
    });
  } finally {
    agent.destroy();
  }
  latencies.sort();
  return { requests: total, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failures };
}

/** Mean latency (ms, to the µs) of requests sent one at a time over one keep-alive connection. */
export async function sequentialMeanMs(url: string, seconds: number, headers: Record<string, string> = {}): Promise<number> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let total = 0;
  let count = 0;
  const until = performance.now() + seconds * 1000;
  try {
    while (performance.now() < until) {
      const started = performance.now();
      await get(agent, target, headers);
      total += performance.now() - started;
      count++;
    }
  } finally {
    agent.destroy();
  }
  return total / count;
}

/** One GET through `agent`, its body read to the end; resolves with the status. */
function get(agent: Agent, target: URL, headers: Record<string, string> | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers, agent }, (res) => {
      res.on('end', () => resolve(res.statusCode ?? 0)).on('error', reject).resume();
    })
      .on('error', reject)
      .end();
  });
}
