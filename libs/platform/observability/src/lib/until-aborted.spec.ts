import { getEventListeners } from 'node:events';
import { untilAborted } from './until-aborted';

describe('untilAborted', () => {
  it('settles with the promise and removes its listener', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve(42), controller.signal)).resolves.toBe(42);
    await expect(untilAborted(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting when the signal aborts, while the work goes on', async () => {
    const controller = new AbortController();
    let finish: ((value: string) => void) | undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const waiting = untilAborted(work, controller.signal);
    controller.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    finish?.('done');
    await expect(work).resolves.toBe('done');
  });

  it('rejects at once for a signal already aborted, leaving no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = Promise.reject(new Error('late failure'));
      await expect(untilAborted(failing, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
