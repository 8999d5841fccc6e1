import { createAccessLog, formatAccessLine, formatMillis, isoTime, type AccessRecord } from './access-log';
import { LineBuffer } from './line-buffer';
import { tempLogFile } from './testing/temp-log-file';

const record = (over: Partial<AccessRecord> = {}): AccessRecord => ({
  requestId: 'r-1',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  method: 'GET',
  path: '/items',
  route: 'items',
  cluster: 'up',
  destination: 'a',
  status: 200,
  durationMs: 1.25,
  upstreamMs: 0.5,
  bytesIn: 100,
  bytesOut: 900,
  attempts: 1,
  breaker: 'closed',
  clientIp: '127.0.0.1',
  error: undefined,
  ...over,
});

describe('access lines', () => {
  it('is the JSON of the record, fields in order, undefined ones left out, in the pino line shape', () => {
    const time = new Date('2026-11-29T12:00:00.000Z');
    const r = record({ route: undefined, upstreamMs: undefined, notes: { cache: 'hit' } });
    const line = formatAccessLine('gateway', r, time.getTime());
    expect(line.endsWith('}\n')).toBe(true);
    expect(line).toBe(`${JSON.stringify({ level: 'info', time: time.toISOString(), service: 'gateway', ...r, msg: 'request' })}\n`);
  });

  it('escapes what a client controls: a hostile path or request id stays one line of valid JSON', () => {
    const r = record({ path: '/a"}\n{"level":"fatal', requestId: 'x"\u2028\\', clientIp: '::ffff:10.0.0.1' });
    const line = formatAccessLine('gateway', r);
    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line)).toMatchObject({ path: r.path, requestId: r.requestId, level: 'info' });
  });

  it('prints durations to the microsecond, as JSON numbers', () => {
    const line = JSON.parse(formatAccessLine('gateway', record({ durationMs: 12.3456789, upstreamMs: 0.0004 }))) as AccessRecord;
    expect(line.durationMs).toBe(12.346);
    expect(line.upstreamMs).toBe(0);
    expect([0, 1, 0.001, 0.01, 0.1, 0.25, 1.5, 999.999, 1000, 86_400_000.5].map(formatMillis)).toEqual(['0', '1', '0.001', '0.01', '0.1', '0.25', '1.5', '999.999', '1000', '86400000.5']);
  });

  it('formats times as toISOString does, across seconds, days and years', () => {
    for (const ms of [0, 999, 1000, Date.UTC(2026, 10, 30, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 59, 59, 1), Date.UTC(2027, 0, 1), Date.now()]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('is valid JSON of the record whatever its strings hold, long ones included', () => {
    const alphabet = ['a', '/', '"', '\\', '\n', '\u0001', '\u00e9', '\u2028', '\u{1F600}', '\ud800', '%2F'];
    for (let i = 0; i < 200; i++) {
      const pick = (n: number) => Array.from({ length: n }, (_, k) => alphabet[(i * 7 + k * 13) % alphabet.length]).join('');
      const r = record({ path: `/${pick(i * 3)}`, requestId: pick(i % 40), error: i % 2 ? pick(5) : undefined, notes: i % 3 ? undefined : { key: pick(9) } });
      const line = formatAccessLine('gateway', r, 0);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify({ level: 'info', time: new Date(0).toISOString(), service: 'gateway', ...r, msg: 'request' })));
    }
  });

  it('marks 5xx lines as warn', () => {
    expect(JSON.parse(formatAccessLine('gateway', record({ status: 502, error: 'upstream-timeout' })))).toMatchObject({ level: 'warn', error: 'upstream-timeout' });
  });
});

describe('createAccessLog with a LineBuffer', () => {
  const out = tempLogFile();
  const lines = () => out.read().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes every line, in order, once the buffer is flushed', () => {
    const sink = new LineBuffer(out.fd, { flushBytes: 1 << 20 });
    const log = createAccessLog('gateway', 'info', sink);
    for (let i = 0; i < 50; i++) log(record({ requestId: `r-${i}` }));
    expect(out.read()).toBe(''); // buffered, not one write per line
    sink.close();
    expect(lines().map((l) => l['requestId'])).toEqual(Array.from({ length: 50 }, (_, i) => `r-${i}`));
  });

  it('writes without blocking once flushBytes are pending', async () => {
    const sink = new LineBuffer(out.fd, { flushBytes: 2048 });
    const log = createAccessLog('gateway', 'info', sink);
    for (let i = 0; i < 20; i++) log(record({ requestId: `r-${i}` }));
    await new Promise((r) => setTimeout(r, 100));
    expect(lines().length).toBeGreaterThan(0);
    sink.close();
    expect(lines()).toHaveLength(20);
  });

  it('at level warn logs only 5xx; at error and above nothing', () => {
    const sink = new LineBuffer(out.fd);
    createAccessLog('gateway', 'warn', sink)(record());
    createAccessLog('gateway', 'warn', sink)(record({ status: 503 }));
    createAccessLog('gateway', 'error', sink)(record({ status: 503 }));
    sink.close();
    expect(lines().map((l) => l['status'])).toEqual([503]);
  });

  it('drops and counts lines past maxBytes instead of growing without bound', () => {
    const sink = new LineBuffer(out.fd, { flushBytes: 1 << 30, maxBytes: 1000 });
    const log = createAccessLog('gateway', 'info', sink);
    for (let i = 0; i < 100; i++) log(record());
    expect(sink.dropped).toBeGreaterThan(80);
    sink.close();
    expect(lines().length).toBe(100 - sink.dropped);
  });

  it('stops writing, without throwing, when the descriptor is gone', async () => {
    const sink = new LineBuffer(987_654, { flushBytes: 10 });
    const log = createAccessLog('gateway', 'info', sink);
    log(record());
    await new Promise((r) => setTimeout(r, 50));
    log(record());
    expect(sink.dropped).toBe(1);
    sink.close();
  });
});
