import { Logger } from '@nestjs/common';

// Tests assert on outcomes, not log lines.
Logger.overrideLogger(false);

/** A stand-in for a dependency's client: parts in these tests only need its name. */
export interface FakeClient {
  readonly name: string;
}

export const fakeClients = (...names: string[]) => {
  const clients = new Map(names.map((name) => [name, { name }]));
  return (dependency: string): FakeClient | undefined => clients.get(dependency);
};

/** Resolves with `value` after `ms`, or rejects when `signal` aborts (a well-behaved call). */
export function answerAfter<T>(ms: number, value: T, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(value), ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }, { once: true });
  });
}

/** Never settles and ignores every signal (a misbehaving call). */
export function ignoreEverything<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
