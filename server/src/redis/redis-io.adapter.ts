import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { connectRedis, type RedisTarget } from './connection.js';

/**
 * socket.io across instances: the Redis adapter on sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7),
 * so room operations such as `in('user:x').disconnectSockets()` and `fetchSockets()` reach the
 * sockets of every instance. Wall deltas and supervisor changes do not travel through it: each
 * instance follows the event log and the alarm channel itself and emits to its own sockets
 * (`local`), since its revisions are its own. The README says why this adapter and not the
 * streams one.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(app: INestApplicationContext, target: RedisTarget) {
    super(app);
    // Pub/sub is fire and forget: queue commands while reconnecting rather than failing them.
    this.pub = connectRedis(target, 'wall-socketio-pub');
    this.sub = connectRedis(target, 'wall-socketio-sub');
    this.pub.on('error', () => undefined);
    this.sub.on('error', () => undefined);
  }

  // Nest's IoAdapter brings its own copy of socket.io, hence its own types here.
  override createIOServer(...args: Parameters<IoAdapter['createIOServer']>): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(...args);
    server.adapter(createShardedAdapter(this.pub, this.sub, { channelPrefix: 'wall:socket.io' }) as never);
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
