import { Inject, Injectable } from '@nestjs/common';
import type { Delivery, Urge } from '@wall/shared';
import type { Redis } from 'ioredis';
import { KEY_PREFIX, REDIS } from '../redis/redis.tokens.js';
import { defineScript } from '../redis/script.js';

const urgeKey = (id: string) => `${KEY_PREFIX}urge:${id}`;
/** Every record by its time (ms): the month's counts read a range of it. */
const BY_TIME = `${KEY_PREFIX}urges`;
const byAlarm = (alarmId: string) => `${KEY_PREFIX}urges:alarm:${alarmId}`;

// The record and its indexes in one step, only if no record of that id exists: the one
// 催办 per (order, limit, level), whichever instance gets there first.
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[3])
  return 1
end
return 0`;

// A receipt replaces the earlier attempt of the same webhook.
const RECEIPT = `
local json = redis.call('GET', KEYS[1])
if not json then return nil end
local urge = cjson.decode(json)
local receipt = cjson.decode(ARGV[1])
local kept = {}
for _, d in ipairs(urge.deliveries or {}) do
  if d.hook ~= receipt.hook then table.insert(kept, d) end
end
table.insert(kept, receipt)
urge.deliveries = kept
local out = cjson.encode(urge):gsub('"deliveries":{}', '"deliveries":[]')
redis.call('SET', KEYS[1], out)
return out`;

@Injectable()
export class UrgeRepository {
  private readonly claimScript: (...args: Array<string | number>) => Promise<number>;
  private readonly receiptScript: (...args: Array<string | number>) => Promise<string | null>;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.claimScript = defineScript(redis, 'wallUrgeClaim', 3, CLAIM);
    this.receiptScript = defineScript(redis, 'wallUrgeReceipt', 1, RECEIPT);
  }

  /** Stores the record unless one with its id exists; true when this call stored it. */
  async claim(urge: Urge): Promise<boolean> {
    return (await this.claimScript(urgeKey(urge.id), BY_TIME, byAlarm(urge.alarmId), JSON.stringify(urge), Date.parse(urge.at), urge.id)) === 1;
  }

  async get(id: string): Promise<Urge | undefined> {
    const json = await this.redis.get(urgeKey(id));
    return json ? (JSON.parse(json) as Urge) : undefined;
  }

  async recordDelivery(id: string, receipt: Delivery): Promise<Urge | undefined> {
    const json = await this.receiptScript(urgeKey(id), JSON.stringify(receipt));
    return json ? (JSON.parse(json) as Urge) : undefined;
  }

  async forAlarm(alarmId: string): Promise<Urge[]> {
    return this.many(await this.redis.smembers(byAlarm(alarmId)));
  }

  /** Records issued from `from` (ms, included) to `to` (excluded). */
  async between(from: number, to: number): Promise<Urge[]> {
    return this.many(await this.redis.zrangebyscore(BY_TIME, from, `(${to}`));
  }

  private async many(ids: string[]): Promise<Urge[]> {
    if (!ids.length) return [];
    const jsons = await this.redis.mget(ids.map(urgeKey));
    return jsons
      .filter((j): j is string => j !== null)
      .map((j) => JSON.parse(j) as Urge)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
