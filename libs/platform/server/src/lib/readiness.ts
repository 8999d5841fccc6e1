/**
 * Readiness: false while starting, true once listening, false again from the first
 * moment of a shutdown (so load balancers stop sending before the listener closes).
 * Apps may add checks (e.g. "Redis reachable") that /readyz also requires.
 */
export type ReadinessCheck = () => Promise<boolean> | boolean;

export class Readiness {
  private state: 'starting' | 'ready' | 'draining' = 'starting';
  private readonly checks = new Map<string, ReadinessCheck>();

  markReady(): void {
    if (this.state === 'starting') this.state = 'ready';
  }

  markDraining(): void {
    this.state = 'draining';
  }

  get phase(): 'starting' | 'ready' | 'draining' {
    return this.state;
  }

  addCheck(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Names of failing checks; empty when ready. */
  async failing(): Promise<string[]> {
    if (this.state !== 'ready') return [this.state];
    const failed: string[] = [];
    for (const [name, check] of this.checks) {
      try {
        if (!(await check())) failed.push(name);
      } catch {
        failed.push(name);
      }
    }
    return failed;
  }
}
