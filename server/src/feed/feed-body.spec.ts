import { describe, expect, it } from 'vitest';
import { MAX_FEED_BYTES, MAX_FEED_EVENTS, isNdjson, parseFeedBody } from './feed-body.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseFeedBody', () => {
  it('reads a JSON array', () => {
    const parsed = parseFeedBody(bytes('[{"id":"a"},{"id":"b"}]'), 'application/json');
    expect(parsed).toEqual({
      ok: true,
      items: [
        { ok: true, value: { id: 'a' } },
        { ok: true, value: { id: 'b' } },
      ],
    });
  });

  it('reads NDJSON, skipping blank lines and rejecting a broken line by its line number', () => {
    const parsed = parseFeedBody(bytes('{"id":"a"}\n\n{"id":\n{"id":"c"}\r\n'), 'application/x-ndjson; charset=utf-8');
    expect(parsed).toEqual({
      ok: true,
      items: [
        { ok: true, value: { id: 'a' } },
        { ok: false, error: '(line 3): not valid JSON' },
        { ok: true, value: { id: 'c' } },
      ],
    });
  });

  it('refuses a body that is not an array, not JSON, not UTF-8 or empty with 400', () => {
    expect(parseFeedBody(bytes('{"id":"a"}'), 'application/json')).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('JSON array') });
    expect(parseFeedBody(bytes('[{"id":'), undefined)).toMatchObject({ ok: false, status: 400, error: expect.stringContaining('not valid JSON') });
    expect(parseFeedBody(new Uint8Array([0x5b, 0xc3, 0x28, 0x5d]), undefined)).toMatchObject({ ok: false, status: 400, error: 'body: not valid UTF-8' });
    expect(parseFeedBody(bytes('[]'), undefined)).toMatchObject({ ok: false, status: 400, error: 'body: no events' });
    expect(parseFeedBody(bytes('\n\n'), 'application/x-ndjson')).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses more than 5,000 events or 10 MB with 413, in both formats', () => {
    // The README's figures, not the constants: a changed limit fails here.
    expect([MAX_FEED_EVENTS, MAX_FEED_BYTES]).toEqual([5000, 10 * 1024 * 1024]);
    const many = Array.from({ length: 5001 }, () => '{}');
    expect(parseFeedBody(bytes(`[${many.join(',')}]`), undefined)).toMatchObject({ ok: false, status: 413 });
    expect(parseFeedBody(bytes(many.join('\n')), 'application/x-ndjson')).toMatchObject({ ok: false, status: 413 });
    expect(parseFeedBody(bytes(`[${many.slice(1).join(',')}]`), undefined)).toMatchObject({ ok: true });
    expect(parseFeedBody(new Uint8Array(10 * 1024 * 1024 + 1), undefined)).toMatchObject({ ok: false, status: 413 });
  });

  it('survives deep nesting without throwing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const parsed = parseFeedBody(bytes(deep), undefined);
    expect(parsed.ok).toBe(true);
  });

  it('knows the NDJSON content types', () => {
    expect(isNdjson('application/x-ndjson')).toBe(true);
    expect(isNdjson('Application/NDJSON; charset=utf-8')).toBe(true);
    expect(isNdjson('application/json')).toBe(false);
    expect(isNdjson(undefined)).toBe(false);
  });
});
