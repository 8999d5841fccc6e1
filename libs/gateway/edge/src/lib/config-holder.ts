import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { loadGatewayConfigFile, type ConfigProblem } from '@edge/gateway-config';
import { gatewayMetrics } from './gateway-metrics';
import { GatewayRuntime, type RuntimeDeps } from './gateway-runtime';

export class InvalidGatewayConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${file}: invalid gateway configuration:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'InvalidGatewayConfigError';
  }
}

/**
 * Holds the active runtime and swaps it atomically on reload (file change or SIGHUP):
 * requests read `current` once and finish on the version they started with. An invalid
 * file is rejected with all its problems logged and the last good config keeps serving.
 */
export class ConfigHolder {
  private runtime: GatewayRuntime;
  private watcher?: FSWatcher;
  private debounce?: NodeJS.Timeout;
  private reloading: Promise<boolean> = Promise.resolve(true);

  private constructor(
    readonly file: string,
    private readonly env: Record<string, string | undefined>,
    private readonly log: Logger,
    private readonly deps: RuntimeDeps,
    initial: GatewayRuntime,
  ) {
    this.runtime = initial;
    gatewayMetrics.configInfo.set({ version: initial.config.version }, 1);
  }

  /** Loads and validates the file; throws InvalidGatewayConfigError (the gateway must not start). */
  static load(file: string, deps: RuntimeDeps, env: Record<string, string | undefined> = process.env): ConfigHolder {
    const result = loadGatewayConfigFile(file, env);
    if (!result.ok) throw new InvalidGatewayConfigError(file, result.problems);
    const runtime = new GatewayRuntime(result.config, deps);
    runtime.start();
    return new ConfigHolder(file, env, deps.log, deps, runtime);
  }

  get current(): GatewayRuntime {
    return this.runtime;
  }

  get version(): string {
    return this.runtime.config.version;
  }

  /** Re-reads the file; true when a new valid config is active (or nothing changed). */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<boolean> {
    const result = loadGatewayConfigFile(this.file, this.env);
    if (!result.ok) {
      gatewayMetrics.reloads.inc({ result: 'rejected' });
      this.log.error({ file: this.file, problems: result.problems }, `gateway config rejected (${result.problems.length} problems); keeping version ${this.version}`);
      return false;
    }
    if (result.config.version === this.version) {
      gatewayMetrics.reloads.inc({ result: 'unchanged' });
      return true;
    }
    const previous = this.runtime;
    let next: GatewayRuntime;
    try {
      next = new GatewayRuntime(result.config, this.deps, previous);
    } catch (error) {
      gatewayMetrics.reloads.inc({ result: 'rejected' });
      this.log.error({ err: error }, `gateway config could not be applied; keeping version ${this.version}`);
      return false;
    }
    next.start();
    this.runtime = next;
    gatewayMetrics.configInfo.reset();
    gatewayMetrics.configInfo.set({ version: next.config.version }, 1);
    gatewayMetrics.reloads.inc({ result: 'applied' });
    this.log.info({ from: previous.config.version, to: next.config.version }, 'gateway config reloaded');
    // In-flight requests keep their runtime; pools no longer used close once they drain.
    void previous.retire(next);
    return true;
  }

  /** Reload on file change (debounced: editors write in several steps) and on SIGHUP. */
  watch(): void {
    const trigger = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload(), 150);
    };
    try {
      // Watch the directory: editors and ConfigMap updates replace the file rather than write it.
      const name = basename(this.file);
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name || changed === '..data') trigger();
      });
    } catch (error) {
      this.log.warn({ err: error }, 'cannot watch the gateway config file; SIGHUP still reloads');
    }
    process.on('SIGHUP', () => void this.reload());
  }

  async close(): Promise<void> {
    this.watcher?.close();
    clearTimeout(this.debounce);
    await this.runtime.retire();
  }
}
