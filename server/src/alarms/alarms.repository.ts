import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Alarm, AlarmChange, Delivery } from '@wall/shared';
import type { Redis } from 'ioredis';
import type { RedisTarget } from '../redis/connection.js';
import { REDIS_TARGET, createRedis } from '../redis/core.module.js';
import { REDIS, alarmKeys } from '../redis/redis.tokens.js';
import { AUDIT_LUA } from '../audit/audit.lua.js';
import { defineScript, type ScriptArg } from '../redis/script.js';

// Alarms live in Redis; every change is made by a script that checks and writes in one step,
// so two workers firing the same job, or an acknowledgement racing an escalation, cannot
// double anything. Each change is published so every instance can tell its own sockets.

// ARGV: id, alarm (JSON), due score, open flag, raised score, then optionally audit_write's
// five arguments: written only when this call created the alarm.
const RAISE = `${AUDIT_LUA}
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return nil end
if ARGV[4] == '1' then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('PUBLISH', KEYS[4], cjson.encode({kind = 'raised', alarm = cjson.decode(ARGV[2])}))
if ARGV[6] then audit_write(ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10])) end
return ARGV[2]
`;

// ARGV: id, kind, patch (JSON), comma-separated fields that must all still be null,
// remove-from-open flag, only-while-nobody-has-it flag (recipients still empty), then
// optionally audit_write's five arguments: the change's audit entry, in the same step.
const UPDATE = `${AUDIT_LUA}
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return nil end
local alarm = cjson.decode(json)
for field in string.gmatch(ARGV[4], '[^,]+') do
  if alarm[field] ~= cjson.null and alarm[field] ~= nil then return nil end
end
if ARGV[6] == '1' and type(alarm.recipients) == 'table' and next(alarm.recipients) ~= nil then return nil end
local patch = cjson.decode(ARGV[3])
for k, v in pairs(patch) do alarm[k] = v end
local out = cjson.encode(alarm)
redis.call('HSET', KEYS[1], ARGV[1], out)
if ARGV[5] == '1' then redis.call('ZREM', KEYS[2], ARGV[1]) end
redis.call('PUBLISH', KEYS[4], cjson.encode({kind = ARGV[2], alarm = alarm}))
if ARGV[7] then audit_write(ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10]), tonumber(ARGV[11])) end
return out
`;

// ARGV: id, delivery (JSON), then optionally audit_write's five arguments. Replaces the receipt
// of the same (user, level, hook), else appends.
const DELIVERED = `${AUDIT_LUA}
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return nil end
local alarm = cjson.decode(json)
local d = cjson.decode(ARGV[2])
local list = alarm.deliveries
if type(list) ~= 'table' then list = {} end
local put = false
for i, old in ipairs(list) do
  if old.user == d.user and old.level == d.level and old.hook == d.hook then list[i] = d; put = true end
end
if not put then list[#list + 1] = d end
alarm.deliveries = list
local out = cjson.encode(alarm)
redis.call('HSET', KEYS[1], ARGV[1], out)
redis.call('PUBLISH', KEYS[4], cjson.encode({kind = 'delivered', alarm = alarm}))
if ARGV[3] then audit_write(ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])) end
return out
`;

/** cjson turns empty arrays into {}: put them back. */
function revive(json: string): Alarm {
  const alarm = JSON.parse(json) as Alarm;
  if (!Array.isArray(alarm.recipients)) alarm.recipients = [];
  if (alarm.deliveries !== undefined && !Array.isArray(alarm.deliveries)) alarm.deliveries = [];
  return alarm;
}

@Injectable()
export class AlarmsRepository implements OnApplicationShutdown {
  private subscriber?: Redis;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_TARGET) private readonly target: RedisTarget,
  ) {
    const raise = defineScript<string | null>(redis, 'alarmRaise', 4, RAISE);
    const update = defineScript<string | null>(redis, 'alarmUpdate', 4, UPDATE);
    const withKeys =
      (script: typeof raise) =>
      (...args: ScriptArg[]) =>
        script(alarmKeys.all, alarmKeys.open, alarmKeys.byTime, alarmKeys.channel, ...args);
    this.raiseScript = withKeys(raise);
    this.updateScript = withKeys(update);
    this.deliveredScript = withKeys(defineScript<string | null>(redis, 'alarmDelivered', 4, DELIVERED));
  }

  private readonly deliveredScript: (...args: ScriptArg[]) => Promise<string | null>;

  /** Records a delivery receipt on the alarm (one per recipient, level and webhook: the latest attempt). */
  async recordDelivery(id: string, delivery: Delivery, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    const out = await this.deliveredScript(id, JSON.stringify(delivery), ...audit);
    return out ? revive(out) : undefined;
  }

  private readonly raiseScript: (...args: ScriptArg[]) => Promise<string | null>;
  private readonly updateScript: (...args: ScriptArg[]) => Promise<string | null>;

  /** Stores the alarm unless one with its id exists; returns it when this call created it. */
  async raise(alarm: Alarm, audit: ScriptArg[] = []): Promise<Alarm | undefined> {
    const open = alarm.resolvedAt === null;
    const out = await this.raiseScript(alarm.id, JSON.stringify(alarm), Date.parse(alarm.dueAt), open ? '1' : '0', Date.parse(alarm.raisedAt), ...audit);
    return out ? revive(out) : undefined;
  }

  /** Applies `patch` if the alarm exists and every field of `unlessSet` is still null; returns the new alarm when changed. */
  async update(
    id: string,
    kind: AlarmChange['kind'],
    patch: Partial<Alarm>,
    unlessSet: Array<keyof Alarm>,
    closes: boolean,
    onlyUnreached = false,
    audit: ScriptArg[] = [],
  ): Promise<Alarm | undefined> {
    const out = await this.updateScript(id, kind, JSON.stringify(patch), unlessSet.join(','), closes ? '1' : '0', onlyUnreached ? '1' : '0', ...audit);
    return out ? revive(out) : undefined;
  }

  async get(id: string): Promise<Alarm | undefined> {
    const json = await this.redis.hget(alarmKeys.all, id);
    return json ? revive(json) : undefined;
  }

  async openIds(): Promise<string[]> {
    return this.redis.zrange(alarmKeys.open, 0, -1);
  }

  async many(ids: string[]): Promise<Alarm[]> {
    if (!ids.length) return [];
    const jsons = await this.redis.hmget(alarmKeys.all, ...ids);
    return jsons.filter((j): j is string => j !== null).map(revive);
  }

  /** Alarms raised since `since` (epoch ms), newest first, at most `limit`. */
  async raisedSince(since: number, limit: number): Promise<Alarm[]> {
    const ids = await this.redis.zrevrangebyscore(alarmKeys.byTime, '+inf', since, 'LIMIT', 0, limit);
    return this.many(ids);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.hexists(alarmKeys.all, id)) === 1;
  }

  async subscribe(onChange: (change: AlarmChange) => void): Promise<void> {
    this.subscriber = createRedis(this.target, 'wall-alarm-changes');
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const change = JSON.parse(message) as AlarmChange;
      if (!Array.isArray(change.alarm.recipients)) change.alarm.recipients = [];
      if (change.alarm.deliveries !== undefined && !Array.isArray(change.alarm.deliveries)) change.alarm.deliveries = [];
      onChange(change);
    });
    await new Promise<void>((resolve) => this.subscriber!.once('ready', resolve));
    await this.subscriber.subscribe(alarmKeys.channel);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
