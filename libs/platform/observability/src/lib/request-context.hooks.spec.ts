import { EventEmitter } from 'node:events';
import { openRequestContext } from './request-context.hooks';

function fakeResponse() {
  return Object.assign(new EventEmitter(), { writableFinished: false, destroyed: false });
}

describe('openRequestContext', () => {
  it('carries the request id, a trace context and a deadline within the budget', () => {
    const context = openRequestContext({}, fakeResponse(), 'req-1', 5000);
    expect(context.requestId).toBe('req-1');
    expect(context.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(context.deadline - context.startedAt).toBeLessThanOrEqual(5000);
  });

  it('makes no abort signal, and watches nothing, until one is asked for', () => {
    const response = fakeResponse();
    openRequestContext({}, response, 'req-1', 5000);
    expect(response.listenerCount('close')).toBe(0);
  });

  it('aborts the signal when the response closes before it finished (the client went away)', () => {
    const response = fakeResponse();
    const { signal } = openRequestContext({}, response, 'req-1', 5000);
    expect(signal.aborted).toBe(false);
    response.destroyed = true;
    response.emit('close');
    expect(signal.aborted).toBe(true);
  });

  it('does not abort the signal when the response finished', () => {
    const response = fakeResponse();
    const { signal } = openRequestContext({}, response, 'req-1', 5000);
    response.writableFinished = true;
    response.emit('close');
    expect(signal.aborted).toBe(false);
  });

  it('hands out an already aborted signal when the client left before it was asked for', () => {
    const response = fakeResponse();
    const context = openRequestContext({}, response, 'req-1', 5000);
    response.destroyed = true;
    expect(context.signal.aborted).toBe(true);
    expect(context.signal).toBe(context.signal);
  });
});
