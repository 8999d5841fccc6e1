import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fixedPort } from './fixed-port';

const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

const listen = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });

describe('fixedPort', () => {
  it('hands out free ports below the ephemeral range, never the same one twice', async () => {
    const ports = [];
    for (let i = 0; i < 40; i++) ports.push(await fixedPort());
    expect(new Set(ports).size).toBe(40);
    for (const p of ports) expect(p).toBeLessThan(ephemeralStart);
    await Promise.all(ports.slice(0, 5).map(listen));
  });

  it('with offsets, finds p such that every p + offset is free and below the range', async () => {
    const p = await fixedPort([0, 10000, 20000]);
    expect(p + 20000).toBeLessThan(ephemeralStart);
    await Promise.all([p, p + 10000, p + 20000].map(listen));
  });
});
