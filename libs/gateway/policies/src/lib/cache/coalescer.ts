interface Flight {
  readonly done: Promise<void>;
  readonly release: () => void;
}

/**
 * Request coalescing for cache misses (per process): the first miss for a key leads and goes
 * upstream; later misses wait until the leader released (entry stored, not storable, or the
 * leader's response ended), then look the cache up again.
 */
export class Coalescer {
  private readonly flights = new Map<string, Flight>();

  /** Becomes the leader for `key` and returns the release function, or undefined if one leads. */
  lead(key: string): (() => void) | undefined {
    if (this.flights.has(key)) return undefined;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (this.flights.get(key) === flight) this.flights.delete(key);
      resolve();
    };
    const flight: Flight = { done, release };
    this.flights.set(key, flight);
    return release;
  }

  /** Waits for the current leader (if any) at most `timeoutMs`; true if there was one to wait for. */
  async wait(key: string, timeoutMs: number): Promise<boolean> {
    const flight = this.flights.get(key);
    if (!flight) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([flight.done, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, timeoutMs))))]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  }

  get inFlight(): number {
    return this.flights.size;
  }
}
