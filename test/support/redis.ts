import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../server/src/redis/embedded-redis.js';

/** A real redis-server of the test's own, on a free port, with AOF in a temp dir. */
export async function startTestRedis(
  options: { dir?: string; port?: number; fsync?: 'always' | 'everysec' } = {},
): Promise<EmbeddedRedis & { dir: string; cleanup(): Promise<void> }> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'wall-redis-'));
  const redis = await startEmbeddedRedis(dir, { port: options.port, fsync: options.fsync ?? 'everysec' });
  return {
    ...redis,
    dir,
    cleanup: async () => {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
