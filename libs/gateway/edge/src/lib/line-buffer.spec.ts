import fs from 'node:fs';
import { LineBuffer } from './line-buffer';
import { tempLogFile } from './testing/temp-log-file';

describe('LineBuffer', () => {
  const out = tempLogFile();

  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('writes every line whole and in order across chunks, long and non-ASCII lines included', async () => {
    const sink = new LineBuffer(out.fd, { flushBytes: 4096 });
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = i % 250 === 7 ? `{"long":"${'x'.repeat(5000)}${i}"}\n` : `{"i":${i},"path":"/caf\u00e9/\u{1F600}/${'a'.repeat(i % 97)}"}\n`;
      lines.push(line);
      sink.push(line);
    }
    const expected = lines.join('');
    sink.flush();
    await waitFor(() => out.read().length >= expected.length);
    expect(out.read()).toBe(expected);
    expect(sink.dropped).toBe(0);
    sink.close();
  });

  it('writes what is pending synchronously on close, after what was queued before it', () => {
    const sink = new LineBuffer(out.fd, { flushBytes: 1 << 20 });
    sink.push('one\n');
    sink.push('two\n');
    expect(out.read()).toBe('');
    sink.close();
    expect(out.read()).toBe('one\ntwo\n');
    sink.push('after close\n');
    expect(sink.dropped).toBe(1);
  });

  it('holds the bytes of its lines, not a chunk per flush, while its reader is stuck', () => {
    const write = jest.spyOn(fs, 'write').mockImplementation((() => undefined) as never); // never completes
    try {
      const sink = new LineBuffer(out.fd);
      const before = process.memoryUsage().arrayBuffers;
      for (let i = 0; i < 200; i++) {
        sink.push(`{"i":${i}}\n`);
        sink.flush(); // what the interval does once a second
      }
      expect(write).toHaveBeenCalledTimes(1); // one write in flight, the rest queued
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(4 * 1024 * 1024); // 200 chunks of 256 KiB would be 50 MiB
    } finally {
      write.mockRestore();
    }
  });
});
