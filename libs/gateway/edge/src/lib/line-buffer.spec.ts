import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LineBuffer } from './line-buffer';

describe('LineBuffer', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'line-buffer-'));
    file = path.join(dir, 'out.log');
    fd = openSync(file, 'w');
  });

  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('writes every line whole and in order across chunks, long and non-ASCII lines included', async () => {
    const sink = new LineBuffer(fd, { flushBytes: 4096 });
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = i % 250 === 7 ? `{"long":"${'x'.repeat(5000)}${i}"}\n` : `{"i":${i},"path":"/caf\u00e9/\u{1F600}/${'a'.repeat(i % 97)}"}\n`;
      lines.push(line);
      sink.push(line);
    }
    const expected = lines.join('');
    sink.flush();
    await waitFor(() => readFileSync(file, 'utf8').length >= expected.length);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(sink.dropped).toBe(0);
    sink.close();
  });

  it('writes what is pending synchronously on close, after what was queued before it', () => {
    const sink = new LineBuffer(fd, { flushBytes: 1 << 20 });
    sink.push('one\n');
    sink.push('two\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    sink.close();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    sink.push('after close\n');
    expect(sink.dropped).toBe(1);
  });
});
