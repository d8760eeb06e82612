import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE, referenceSchema } from './reference.js';
import { Zone } from './time.js';
import { countUrges, keepUnitSecrets, redactUnitContacts, urgeId, urgesAtLimit, urgeText, type Urge } from './urge.js';

const ZONE = new Zone('Asia/Shanghai');

const urge = (over: Partial<Urge> = {}): Urge => ({
  id: urgeId('urge', 'o-1', 'sign', 0),
  kind: 'urge',
  alarmId: 'o-1:sign',
  order: 'o-1',
  incident: 'i-1',
  unit: 'ruian.power',
  center: 'ruian',
  limit: 'sign',
  level: 0,
  by: 'system',
  at: '2020-08-31T15:59:00Z',
  dueAt: '2020-08-31T15:50:00Z',
  note: null,
  deliveries: [],
  ...over,
});

describe('催办 at a limit', () => {
  it('is on for every limit kind unless turned off', () => {
    expect(urgesAtLimit(undefined, 'sign')).toBe(true);
    expect(urgesAtLimit({ arrive: false }, 'arrive')).toBe(false);
    expect(urgesAtLimit({ arrive: false }, 'feedback')).toBe(true);
  });

  it('names the order, the incident, the limit and how late, with its id', () => {
    const { title, text } = urgeText(urge(), { unit: () => '瑞安电力局' }, Date.parse('2020-08-31T16:12:30Z'));
    expect(title).toBe('催办：瑞安电力局 工单签收已超时');
    for (const part of ['工单：o-1', '警情：i-1', '时限：签收', '已超时：22 分钟', '编号：urge:o-1:sign:0']) expect(text).toContain(part);
    const late = urgeText(urge(), { unit: () => 'x' }, Date.parse('2020-08-31T17:55:00Z')).text;
    expect(late).toContain('已超时：2 小时 5 分钟');
  });

  it('a 督办 carries the supervisor and the note', () => {
    const { title, text } = urgeText(urge({ kind: 'supervise', by: 'sup1', note: '请局领导督促' }), { unit: () => '瑞安电力局' }, Date.parse('2020-08-31T16:00:00Z'));
    expect(title).toContain('督办');
    expect(text).toContain('督办意见：请局领导督促');
    expect(text).toContain('sup1');
  });
});

describe("the month's counts per unit", () => {
  it('counts by the report zone: 2020-08-31T16:30Z is September in Wenzhou', () => {
    const all = [
      urge({ at: '2020-08-31T15:59:00Z' }),
      urge({ at: '2020-08-31T16:30:00Z' }),
      urge({ kind: 'supervise', at: '2020-08-20T01:00:00Z' }),
      urge({ unit: 'ruian.water', at: '2020-08-02T01:00:00Z' }),
      urge({ unit: 'ruian.water', at: '2020-08-03T01:00:00Z' }),
    ];
    expect(countUrges(all, '2020-08', ZONE)).toEqual([
      { unit: 'ruian.power', urges: 1, supervisions: 1 },
      { unit: 'ruian.water', urges: 2, supervisions: 0 },
    ]);
    expect(countUrges(all, '2020-09', ZONE)).toEqual([{ unit: 'ruian.power', urges: 1, supervisions: 0 }]);
    expect(countUrges([], '2020-08', ZONE)).toEqual([]);
  });
});

describe('unit duty contacts in the reference data', () => {
  const unit = DEFAULT_REFERENCE.units[0]!.id;
  const contacts = { [unit]: { webhooks: [{ kind: 'dingtalk' as const, url: 'https://oapi.example/robot?a', secret: 'SEC1' }], phone: '0577-88888888' } };

  it('validates: a known unit, a phone', () => {
    expect(referenceSchema.safeParse({ ...DEFAULT_REFERENCE, unitContacts: contacts }).success).toBe(true);
    const unknown = referenceSchema.safeParse({ ...DEFAULT_REFERENCE, unitContacts: { 'nowhere.power': { webhooks: [] } } });
    expect(unknown.error?.issues[0]).toMatchObject({ path: ['unitContacts', 'nowhere.power'] });
    const phone = referenceSchema.safeParse({ ...DEFAULT_REFERENCE, unitContacts: { [unit]: { webhooks: [], phone: 'call me' } } });
    expect(phone.error?.issues[0]?.path).toEqual(['unitContacts', unit, 'phone']);
  });

  it('never shows a secret, and a PUT without it keeps it', () => {
    const shown = redactUnitContacts(contacts)!;
    expect(shown[unit]!.webhooks[0]).toEqual({ kind: 'dingtalk', url: 'https://oapi.example/robot?a', hasSecret: true });
    expect(keepUnitSecrets(shown, contacts)![unit]!.webhooks[0]!.secret).toBe('SEC1');
    const moved = { [unit]: { webhooks: [{ kind: 'dingtalk' as const, url: 'https://oapi.example/robot?b' }] } };
    expect(keepUnitSecrets(moved, contacts)![unit]!.webhooks[0]!.secret).toBeUndefined();
  });
});
