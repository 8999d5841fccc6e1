import { toProblemResponse } from '@edge/problem-details';
import type { ServerResponse } from 'node:http';
import { clientAndUpstream, rejectionOf, waitFor } from './request-context.fixture';

describe('HttpClient bulkhead (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(() => env.close());

  it('sheds the (max + queue + 1)th concurrent call at once with 503 overloaded', async () => {
    env = await clientAndUpstream({ bulkhead: { maxConcurrent: 3, maxQueue: 2, queueTimeoutMs: 2_000 } });
    const held: ServerResponse[] = [];
    env.upstream.handle((_req, res) => void held.push(res));
    const admitted = Array.from({ length: 5 }, () => env.client.get('/x'));
    await waitFor(() => held.length === 3);

    const started = Date.now();
    const shed = await rejectionOf(env.client.get('/x'));
    expect(Date.now() - started).toBeLessThan(1_000); // shed at once, not after the 2 s queue timeout
    expect(shed).toMatchObject({ kind: 'overloaded', status: 503, code: 'overloaded' });
    expect(toProblemResponse(shed).headers['retry-after']).toBe('1');
    expect(env.upstream.requests).toHaveLength(3);

    for (const res of held.splice(0)) res.end('{}');
    await waitFor(() => held.length === 2);
    for (const res of held.splice(0)) res.end('{}');
    await expect(Promise.all(admitted)).resolves.toHaveLength(5);
    expect(env.upstream.requests).toHaveLength(5);
  });

  it('rejects a queued call whose wait exceeds queueTimeoutMs, without calling the upstream', async () => {
    env = await clientAndUpstream({ bulkhead: { maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 40 } });
    const held: ServerResponse[] = [];
    env.upstream.handle((_req, res) => void held.push(res));
    const first = env.client.get('/x');
    await waitFor(() => held.length === 1);
    await expect(env.client.get('/x')).rejects.toMatchObject({ kind: 'overloaded' });
    held[0]?.end('{}');
    await first;
    expect(env.upstream.requests).toHaveLength(1);
  });

  it('does not retry a call the bulkhead shed', async () => {
    env = await clientAndUpstream({ bulkhead: { maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 10 }, retries: { attempts: 3 } });
    const held: ServerResponse[] = [];
    env.upstream.handle((_req, res) => void held.push(res));
    const first = env.client.get('/x');
    await waitFor(() => held.length === 1);
    await expect(env.client.get('/x')).rejects.toMatchObject({ kind: 'overloaded', attempts: 0 });
    held[0]?.end('{}');
    await first;
  });
});
