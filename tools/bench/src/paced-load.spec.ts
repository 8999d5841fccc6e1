import { createServer, type Server } from 'node:http';
import { pacedLoad, percentile, sequentialMeanMs } from './paced-load';

describe('pacedLoad', () => {
  let server: Server;
  let url: string;
  let arrivals: number[];
  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push(performance.now());
      // Every 50th request is answered 30 ms late: it must show in the tail, not in the median.
      const late = arrivals.length % 50 === 0;
      setTimeout(() => res.writeHead(req.url === '/fail' ? 500 : 200).end('ok'), late ? 30 : 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  beforeEach(() => {
    arrivals = [];
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends rate × seconds requests on schedule, whatever the answers, and reports sub-millisecond percentiles', async () => {
    const result = await pacedLoad(`${url}/ok`, { rate: 200, seconds: 1, connections: 4 });
    expect(result).toMatchObject({ requests: 200, failures: 0 });
    expect(arrivals).toHaveLength(200);
    // Paced, not sent all at once: the arrivals spread over about a second.
    expect((arrivals[199] as number) - (arrivals[0] as number)).toBeGreaterThan(800);
    expect(result.p50).toBeLessThan(result.p99);
    expect(result.p50).not.toBe(Math.round(result.p50)); // not whole milliseconds
    expect(result.p99).toBeGreaterThanOrEqual(25); // the late answers (and what queued behind them)
  });

  it('counts non-2xx answers and failed requests', async () => {
    const failed = await pacedLoad(`${url}/fail`, { rate: 100, seconds: 0.2, connections: 2 });
    expect(failed).toMatchObject({ requests: 20, failures: 20 });
    const refused = await pacedLoad('http://127.0.0.1:9/nothing', { rate: 100, seconds: 0.1, connections: 1 });
    expect(refused).toMatchObject({ requests: 10, failures: 10 });
  });

  it('measures the mean latency of one request at a time, to the microsecond', async () => {
    const mean = await sequentialMeanMs(`${url}/ok`, 0.3);
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThan(30);
    expect(arrivals.length).toBeGreaterThan(10);
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 0.5)).toBeNaN();
  });
});
