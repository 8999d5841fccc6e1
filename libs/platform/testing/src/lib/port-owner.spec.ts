import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { ownsListeningPort } from './port-owner';

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

describe('ownsListeningPort', () => {
  it('tells the process that listens on a port from one that does not', async () => {
    const server = createServer();
    const port = await listen(server);
    try {
      expect(ownsListeningPort(process.pid, port)).toBe(true);
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
      try {
        expect(ownsListeningPort(other.pid as number, port)).toBe(false);
      } finally {
        other.kill();
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(ownsListeningPort(process.pid, port)).toBe(false); // closed: nobody listens
  });
});
