import { spawn, type ChildProcess } from 'node:child_process';

// The upstream runs in its own process, so that process.cpuUsage() in the benchmark counts
// the client side only (the server's cost would otherwise dilute every ratio toward 1).
const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ items: Array.from({ length: 12 }, (_, i) => ({ id: 'item-' + i, name: 'Product ' + i, price: 1000 + i, tags: ['a', 'b'] })) });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

export interface LoopbackUpstream {
  url: string;
  stop(): void;
}

/** A keep-alive HTTP/1.1 server on 127.0.0.1 answering ~1 KB of JSON to everything. */
export function startLoopbackUpstream(): Promise<LoopbackUpstream> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => {
      const port = Number(chunk.toString().trim());
      resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill() });
    });
  });
}
