import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, redisTargetOf } from './config.js';

describe('parseConfig', () => {
  it('applies the contract defaults and the embedded setup when REDIS_URL is unset', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 3000, TZ_REPORTS: 'Asia/Shanghai', embedded: true, simulate: true });
  });

  it('uses a given Redis and then does not simulate unless asked', () => {
    expect(parseConfig({ REDIS_URL: 'redis://10.0.0.5:6379' })).toMatchObject({ embedded: false, simulate: false });
    expect(parseConfig({ REDIS_URL: 'redis://10.0.0.5:6379', SIMULATE: 'on' })).toMatchObject({ simulate: true });
    expect(parseConfig({ SIMULATE: 'off' })).toMatchObject({ embedded: true, simulate: false });
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ REDIS_URL: '', PORT: '' })).toMatchObject({ embedded: true, PORT: 3000 });
  });

  it('reports every bad variable together, each by name', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', REDIS_URL: 'http://x', TZ_REPORTS: 'Mars/Olympus', FEED_TOKEN: 'short', ADMIN_PASSWORD: '123' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'REDIS_URL', 'TZ_REPORTS', 'FEED_TOKEN', 'ADMIN_PASSWORD']) expect(message).toContain(`${name}:`);
  });

  it('finds the primary through Sentinel when REDIS_SENTINELS is set, and names a bad entry', () => {
    const config = parseConfig({ REDIS_SENTINELS: '127.0.0.1:26379, [::1]:26380', REDIS_SENTINEL_NAME: 'wall', REDIS_PASSWORD: 'pw' });
    expect(config.embedded).toBe(false);
    expect(redisTargetOf(config)).toEqual({
      kind: 'sentinel',
      name: 'wall',
      password: 'pw',
      sentinelPassword: undefined,
      sentinels: [
        { host: '127.0.0.1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
    });
    expect(() => parseConfig({ REDIS_SENTINELS: '127.0.0.1' })).toThrow(/REDIS_SENTINELS: "127.0.0.1" is not host:port/);
    expect(() => parseConfig({ REDIS_SENTINELS: 'a:1', REDIS_URL: 'redis://b:2' })).toThrow(/not both/);
  });
});

describe('the security settings', () => {
  it('takes TRUST_PROXY as express does: booleans, hop counts, addresses', () => {
    expect(parseConfig({}).trustProxy).toBe('loopback');
    expect(parseConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy).toBe('10.0.0.5, 10.1.0.0/16');
  });

  it('defaults the login cap, audit retention and socket cap, and refuses nonsense by name', () => {
    // One core fewer than the machine has, at least one: the event loop keeps a core.
    expect(parseConfig({})).toMatchObject({ LOGIN_CONCURRENCY: Math.max(1, availableParallelism() - 1), AUDIT_RETENTION_DAYS: 400, SOCKETS_PER_USER: 50 });
    expect(() => parseConfig({ LOGIN_CONCURRENCY: '0', AUDIT_RETENTION_DAYS: '-1' })).toThrow(/LOGIN_CONCURRENCY:[\s\S]*AUDIT_RETENTION_DAYS:/);
  });
});
