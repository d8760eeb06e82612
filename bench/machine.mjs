// @ts-check
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** The machine a run's figures came from; they are only comparable with the same one. */
export function machine() {
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const list = cpus();
  return {
    cpus: list.length,
    node: process.version,
    redis: /v=(\S+)/.exec(version)?.[1] ?? (version.trim() || null),
    cpuModel: list[0]?.model ?? null,
    memGB: +(totalmem() / 1024 ** 3).toFixed(1),
    redisFsync: 'always',
  };
}
