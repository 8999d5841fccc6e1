import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether 127.0.0.1:port can be listened on right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port of the kernel's ephemeral range (what `listen(0)` and outbound sockets use). */
function ephemeralRangeStart(): number {
  const file = '/proc/sys/net/ipv4/ip_local_port_range';
  const start = existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]) : NaN;
  return Number.isInteger(start) && start > 0 ? start : 32768;
}

/** Ports handed out by this process, so that two calls never return the same one. */
const handedOut = new Set<number>();

/**
 * A port for an app whose URL must be known before it starts (an issuer in its own config, a
 * redirect URI registered at the IdP), free now and likely to stay free while other processes
 * start: it lies below the kernel's ephemeral range, which the OS never hands out by itself,
 * neither to another suite's `listen(0)` (freePort) nor as the local port of an outbound
 * connection. A port from freePort(), held for seconds while an IdP and services start, was
 * taken that way in CI. With `offsets`, p + each offset must all be free (instances of one app
 * on related ports); p itself is returned.
 */
export async function fixedPort(offsets: readonly number[] = [0]): Promise<number> {
  const lowest = 2000;
  const highest = ephemeralRangeStart() - 1 - Math.max(...offsets);
  if (highest <= lowest) throw new Error('no room below the ephemeral port range for these offsets');
  for (let tries = 0; tries < 1000; tries++) {
    const p = lowest + Math.floor(Math.random() * (highest - lowest));
    const candidates = offsets.map((o) => p + o);
    if (candidates.some((c) => handedOut.has(c))) continue;
    if ((await Promise.all(candidates.map(canListen))).every(Boolean)) {
      for (const c of candidates) handedOut.add(c);
      return p;
    }
  }
  throw new Error('no free port below the ephemeral range');
}
