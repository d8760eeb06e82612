import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startEmbeddedRedis } from './embedded-redis.js';

describe('the embedded redis-server', () => {
  it('keeps data across a restart, and stops the orphan a killed server left on its directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wall-embedded-'));
    try {
      const first = await startEmbeddedRedis(dir, { fsync: 'always' });
      const client = new Redis(first.url);
      await client.set('k', 'v');
      client.disconnect();
      // As if our process died with -9: its redis-server keeps running. A new start must stop
      // it (the pid file) rather than run a second server on the same AOF.
      const second = await startEmbeddedRedis(dir, { fsync: 'always' });
      const orphanGone = await new Promise<boolean>((resolve) => {
        const ping = spawn('redis-cli', ['-p', String(first.port), 'ping']);
        let out = '';
        ping.stdout.on('data', (c: Buffer) => (out += c.toString()));
        ping.on('close', () => resolve(!out.includes('PONG')));
      });
      expect(orphanGone).toBe(true);
      const again = new Redis(second.url);
      expect(await again.get('k')).toBe('v');
      expect(await again.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await again.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      again.disconnect();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
