import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from './lines';

describe('LineSplitter', () => {
  it('joins lines across chunk boundaries and skips blank lines', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\r\n\n{"c":3}')).toEqual(['{"b":2}']);
    expect(s.end()).toEqual(['{"c":3}']);
    expect(s.end()).toEqual([]);
  });
});

describe('readLines', () => {
  it('reads a byte stream split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('{"x":"温州"}\n{"x":"鹿城"}\n');
    const chunks = [bytes.slice(0, 8), bytes.slice(8, 20), bytes.slice(20)];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(chunk);
        c.close();
      },
    });
    const lines: string[] = [];
    const seen: number[] = [];
    const total = await readLines(
      body,
      (l) => lines.push(l),
      (p) => seen.push(p.bytes),
    );
    expect(lines.map((l) => JSON.parse(l).x)).toEqual(['温州', '鹿城']);
    expect(total).toEqual({ bytes: bytes.byteLength, lines: 2 });
    expect(seen.at(-1)).toBe(bytes.byteLength);
  });
});
