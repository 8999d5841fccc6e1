/** CPU and wall time of `calls` operations, measured in this process only. */
export interface Sample {
  cpuMicrosPerCall: number;
  wallMicrosPerCall: number;
}

export interface Variant {
  name: string;
  /** Runs `calls` operations (sequentially or with some concurrency) and resolves when all are done. */
  run(calls: number): Promise<void>;
}

export async function measure(variant: Variant, calls: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  await variant.run(calls);
  const usedCpu = process.cpuUsage(cpu);
  const usedWall = Number(process.hrtime.bigint() - wall) / 1000;
  return { cpuMicrosPerCall: (usedCpu.user + usedCpu.system) / calls, wallMicrosPerCall: usedWall / calls };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median of per-round ratios `a[i] / b[i]`: each pair was measured in the same round, on
 * the machine as it was then, so drift between rounds cancels out of every ratio.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired samples differ in length (${a.length} and ${b.length})`);
  return median(a.map((x, i) => x / (b[i] as number)));
}

/** The median of per-round differences `a[i] - b[i]` (latency added), paired as pairedRatio. */
export function pairedDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`paired samples differ in length (${a.length} and ${b.length})`);
  return median(a.map((x, i) => x - (b[i] as number)));
}

/**
 * Interleaved rounds: every round runs every variant once, in a rotated order, so drift in
 * the machine (other load, CPU frequency, GC state) lands on all variants alike. One warm-up
 * round is discarded. Returns each variant's samples, one per round.
 */
export async function interleaved(variants: readonly Variant[], calls: number, rounds: number): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  for (const variant of variants) await measure(variant, Math.max(100, Math.floor(calls / 4)));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length] as Variant;
      samples.get(variant.name)?.push(await measure(variant, calls));
    }
  }
  return samples;
}

/** Runs `calls` operations with at most `concurrency` in flight. */
export async function withConcurrency(calls: number, concurrency: number, op: () => Promise<unknown>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await op();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n');
}

export interface Flags {
  [name: string]: number | string;
}

/**
 * `--calls 2000 --rounds 7` style flags over defaults: numeric where the default is a number,
 * taken as written where it is a string; unknown flags are an error.
 */
export function parseFlags(args: readonly string[], defaults: Flags): Flags {
  const flags = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    const name = (args[i] ?? '').replace(/^--/, '');
    const raw = args[i + 1];
    const value = typeof defaults[name] === 'string' ? raw : Number(raw);
    if (!(name in defaults) || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new Error(`unknown or invalid flag ${args[i]} (known: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')})`);
    }
    flags[name] = value;
    i++;
  }
  return flags;
}
