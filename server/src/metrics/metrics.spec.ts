import { LIMIT_NAMES } from '@wall/shared';
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { FEED_RESULTS, infoField, NOTIFICATION_RESULTS, observeRedisMaxMemory, registry } from './metrics.js';

// increase() misses a counter's first event when the series first appears with it: every
// counter's known series must be scraped at 0 before anything happened.

async function samples(name: string): Promise<Array<{ labels?: Record<string, string>; value: string }>> {
  const families = parse(await registry.metrics()) as Array<{ name: string; metrics: unknown[] }>;
  const family = families.find((f) => f.name === name);
  return (family?.metrics ?? []) as Array<{ labels?: Record<string, string>; value: string }>;
}

describe('metrics at start', () => {
  it('has every feed result at 0 before the first event', async () => {
    const feed = await samples('wall_feed_events_total');
    expect(feed.map((m) => [m.labels?.result, m.value]).sort()).toEqual(FEED_RESULTS.map((r) => [r, '0']).sort());
  });

  it('has every limit of raised alarms at 0', async () => {
    const raised = await samples('wall_alarms_raised_total');
    expect(raised.map((m) => m.labels?.limit).sort()).toEqual([...LIMIT_NAMES].sort());
    expect(raised.every((m) => m.value === '0')).toBe(true);
  });

  it('has every notification kind and result at 0, webhook failures included', async () => {
    const sent = await samples('wall_notifications_total');
    const expected = Object.entries(NOTIFICATION_RESULTS).flatMap(([kind, results]) => results.map((result) => `${kind}/${result}=0`));
    expect(sent.map((m) => `${m.labels?.kind}/${m.labels?.result}=${m.value}`).sort()).toEqual(expected.sort());
    expect(expected).toContain('webhook/failed=0');
  });

  it('reads a scraped gauge from its registered reader', async () => {
    expect(await samples('wall_redis_maxmemory_bytes')).toEqual([]);
    observeRedisMaxMemory(() => infoField('# Memory\r\nused_memory:1024\r\nmaxmemory:536870912\r\n', 'maxmemory'));
    expect((await samples('wall_redis_maxmemory_bytes')).map((m) => m.value)).toEqual(['536870912']);
  });
});
