import { describe, expect, it } from 'vitest';
import { ExportCache } from './export-cache.js';

describe('ExportCache', () => {
  it('computes once per key, shares concurrent asks, and forgets the oldest past its bound', async () => {
    const cache = new ExportCache<string>(2, 1000);
    let made = 0;
    const make = (v: string) => () => (made++, Promise.resolve(v));
    const [a, b] = await Promise.all([cache.get('2020-08|5', make('x'), 0), cache.get('2020-08|5', make('y'), 0)]);
    expect([a, b, made]).toEqual(['x', 'x', 1]);
    await cache.get('2020-08|6', make('z'), 0);
    await cache.get('2020-09|6', make('w'), 0);
    expect(cache.size).toBe(2);
    expect(await cache.get('2020-08|5', make('again'), 0)).toBe('again');
    expect(made).toBe(4);
  });

  it('computes again after the time to live, and after a failure', async () => {
    const cache = new ExportCache<string>(4, 1000);
    await cache.get('k', () => Promise.resolve('old'), 0);
    expect(await cache.get('k', () => Promise.resolve('new'), 1001)).toBe('new');
    await expect(cache.get('f', () => Promise.reject(new Error('boom')), 0)).rejects.toThrow('boom');
    expect(await cache.get('f', () => Promise.resolve('ok'), 0)).toBe('ok');
  });
});
