import { Inject, Injectable } from '@nestjs/common';
import type { ProjectionState } from '@wall/shared';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { REDIS, keys } from '../redis/redis.tokens.js';
import { defineScript, type ScriptArg } from '../redis/script.js';

/**
 * Bump when the projection's state shape or rules change: a checkpoint of another version is
 * ignored and the state is folded from the log again.
 */
export const PROJECTION_VERSION = 4;

export interface Checkpoint {
  state: ProjectionState;
  /** When the dispatches of open orders reached the log (see LiveStateService.receivedAt). */
  received: Map<string, number>;
  seq: number;
  lastId: string;
}

// Only a newer checkpoint replaces an older one, so instances saving at different times
// never move it backwards.
const SAVE = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if current >= tonumber(ARGV[2]) and redis.call('HGET', KEYS[1], 'key') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'key', ARGV[1], 'seq', ARGV[2], 'lastId', ARGV[3], 'state', ARGV[4])
return 1
`;

/**
 * A copy of the projection at some point of the event log, so a restart folds only the tail.
 * It is derived data: the log stays the only truth, and a checkpoint that does not match this
 * code, the reference data and the report zone is simply not used.
 */
@Injectable()
export class CheckpointRepository {
  private readonly saveScript: (...args: ScriptArg[]) => Promise<number>;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.saveScript = defineScript(redis, 'wallCheckpoint', 1, SAVE);
  }

  /** What a checkpoint must have been made with to be usable now. */
  static keyOf(referenceJson: string, tz: string): string {
    return createHash('sha1').update(`${PROJECTION_VERSION}\n${tz}\n${referenceJson}`).digest('hex');
  }

  async load(key: string): Promise<Checkpoint | undefined> {
    const [storedKey, seq, lastId, state] = await this.redis.hmgetBuffer(keys.checkpoint, 'key', 'seq', 'lastId', 'state');
    if (!storedKey || storedKey.toString() !== key || !seq || !lastId || !state) return undefined;
    const { projection, received } = deserialize(state) as { projection: ProjectionState; received: Map<string, number> };
    return { state: projection, received, seq: Number(seq.toString()), lastId: lastId.toString() };
  }

  /** Serialises now (the state goes on changing after this call returns), stores it next. */
  async save(key: string, checkpoint: Checkpoint): Promise<boolean> {
    const data = serialize({ projection: checkpoint.state, received: checkpoint.received });
    const saved = await this.saveScript(keys.checkpoint, key, checkpoint.seq, checkpoint.lastId, data);
    return saved === 1;
  }
}
