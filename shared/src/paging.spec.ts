import { describe, expect, it } from 'vitest';
import { canSeeAlarm, fallbackOfficer, isUnreached, recipientsFor, scopeCovers, userDirectory, type PagingUser } from './paging.js';
import { ackTimeoutMs, rosterSchema, rungAt } from './roster.js';
import { NATIONAL_DAY_2020_ROSTER } from './roster.fixture.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const at = (local: string) => Date.parse(`${local}+08:00`);
const WORKDAY_10 = at('2020-09-29T10:00:00');
const HOLIDAY_10 = at('2020-10-03T10:00:00');

const roster = rosterSchema.parse(NATIONAL_DAY_2020_ROSTER);

// The directories are built inside the tests: one that throws while the file is collected
// would fail the file with no test, which Stryker counts as a survivor.
const sup = (username: string, scope?: PagingUser['scope']): PagingUser => ({ username, role: 'supervisor', ...(scope ? { scope } : {}) });
const everyone = () => userDirectory(['day-sup', 'night-sup', 'weekend-sup', 'holiday-sup', 'leader', 'ruian-officer', 'city-officer'].map((u) => sup(u)));
const ruian = { center: 'ruian', unitType: 'power' };
const taishun = { center: 'taishun', unitType: 'power' };

describe('level 0: the supervisors on duty whose shift and scope cover the alarm', () => {
  it('an ordinary workday at 10:00: the day supervisor', () => {
    expect(recipientsFor(roster, everyone(), ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['day-sup'], route: 'duty' });
  });

  it('2020-10-03 (duty): the weekend and holiday supervisors; the holiday shift covers ruian only', () => {
    expect(recipientsFor(roster, everyone(), ruian, 0, HOLIDAY_10, ZONE).recipients).toEqual(['holiday-sup', 'weekend-sup']);
    expect(recipientsFor(roster, everyone(), taishun, 0, HOLIDAY_10, ZONE).recipients).toEqual(['weekend-sup']);
  });

  it('a make-up workday (Sunday 2020-09-27): the workday supervisor', () => {
    expect(recipientsFor(roster, everyone(), ruian, 0, at('2020-09-27T10:00:00'), ZONE).recipients).toEqual(['day-sup']);
  });

  it('a night shift past midnight', () => {
    expect(recipientsFor(roster, everyone(), ruian, 0, at('2020-09-30T02:00:00'), ZONE).recipients).toEqual(['night-sup']);
  });

  it('leaves out a supervisor on duty whose user scope does not cover the alarm', () => {
    const users = userDirectory([...everyone().values()].map((u) => (u.username === 'weekend-sup' ? sup('weekend-sup', { centers: ['yueqing'] }) : u)));
    expect(recipientsFor(roster, users, ruian, 0, HOLIDAY_10, ZONE)).toEqual({ recipients: ['holiday-sup'], route: 'duty' });
  });

  it('leaves out a roster name with no user, a viewer and a disabled account', () => {
    const users = userDirectory([{ username: 'weekend-sup', role: 'viewer' }, { username: 'holiday-sup', role: 'supervisor', disabled: true }, sup('city-officer')]);
    expect(recipientsFor(roster, users, ruian, 0, HOLIDAY_10, ZONE)).toEqual({ recipients: ['city-officer'], route: 'fallback' });
  });
});

describe('level 0 with nobody on duty in scope: the fallback officer', () => {
  // Issue 17's case: the only supervisor on duty covers 乐清, the alarm is in 瑞安.
  const yueqingOnly = rosterSchema.parse({
    shifts: [
      { user: 'yq-sup', level: 'supervisor' },
      { user: 'boss', level: 'leader' },
    ],
    fallback: { '*': 'officer' },
  });
  const users = () => userDirectory([sup('yq-sup', { centers: ['yueqing'] }), sup('officer'), sup('boss'), sup('ruian-officer')]);

  it("the '*' officer when the center has none", () => {
    expect(recipientsFor(yueqingOnly, users(), ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['officer'], route: 'fallback' });
  });

  it("the center's own officer before '*'", () => {
    const r = { ...yueqingOnly, fallback: { ruian: 'ruian-officer', '*': 'officer' } };
    expect(recipientsFor(r, users(), ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['ruian-officer'], route: 'fallback' });
  });

  it("'*' when the center's officer is a name with no user", () => {
    const r = { ...yueqingOnly, fallback: { ruian: 'ghost', '*': 'officer' } };
    expect(fallbackOfficer(r, users(), ruian)).toBe('officer');
  });

  it('the leaders on duty when the fallback is a name with no user', () => {
    const r = { ...yueqingOnly, fallback: { '*': 'ghost' } };
    expect(recipientsFor(r, users(), ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['boss'], route: 'leaders' });
  });

  it("the leaders when the fallback officer's scope does not cover the alarm", () => {
    const scoped = userDirectory([...users().values()].map((u) => (u.username === 'officer' ? sup('officer', { centers: ['yueqing'] }) : u)));
    expect(recipientsFor(yueqingOnly, scoped, ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['boss'], route: 'leaders' });
  });

  it('the leaders when there is no fallback at all', () => {
    const r = { ...yueqingOnly, fallback: {} };
    expect(recipientsFor(r, users(), ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: ['boss'], route: 'leaders' });
  });

  it('nobody (无人接收) when no fallback and no leader can take it', () => {
    const r = { ...yueqingOnly, fallback: { '*': 'ghost' } };
    const noBoss = userDirectory([...users().values()].filter((u) => u.username !== 'boss'));
    expect(recipientsFor(r, noBoss, ruian, 0, WORKDAY_10, ZONE)).toEqual({ recipients: [], route: 'none' });
  });

  it('an admin fallback sees every alarm', () => {
    const admins = userDirectory([{ username: 'officer', role: 'admin', scope: { centers: ['yueqing'] } }]);
    expect(recipientsFor(yueqingOnly, admins, ruian, 0, WORKDAY_10, ZONE).recipients).toEqual(['officer']);
  });
});

describe('escalation levels', () => {
  it('level 1 goes to the leaders on duty', () => {
    expect(recipientsFor(roster, everyone(), ruian, 1, WORKDAY_10, ZONE, ['day-sup'])).toEqual({ recipients: ['leader'], route: 'duty' });
  });

  it('no leader who can see it: the fallback officer', () => {
    const users = userDirectory([...everyone().values()].map((u) => (u.username === 'leader' ? sup('leader', { centers: ['taishun'] }) : u)));
    expect(recipientsFor(roster, users, ruian, 1, WORKDAY_10, ZONE, ['day-sup'])).toEqual({ recipients: ['ruian-officer'], route: 'fallback' });
  });

  it('no leader and no fallback: those who had it keep it', () => {
    const r = { ...roster, shifts: roster.shifts.filter((s) => s.level !== 'leader'), fallback: {} };
    expect(recipientsFor(r, everyone(), ruian, 1, WORKDAY_10, ZONE, ['day-sup'])).toEqual({ recipients: ['day-sup'], route: 'kept' });
    expect(recipientsFor(r, everyone(), ruian, 1, WORKDAY_10, ZONE, [])).toEqual({ recipients: [], route: 'none' });
  });

  it('keeps only those who can still see it', () => {
    const r = { ...roster, shifts: [], fallback: {} };
    const users = userDirectory([sup('a'), sup('b', { centers: ['taishun'] })]);
    expect(recipientsFor(r, users, ruian, 2, WORKDAY_10, ZONE, ['b', 'a'])).toEqual({ recipients: ['a'], route: 'kept' });
  });
});

describe('recipients in name order', () => {
  it('those who keep an alarm are sorted, whatever order they had it in', () => {
    const r = { ...roster, shifts: [], fallback: {} };
    const users = userDirectory([sup('b'), sup('a'), sup('c')]);
    expect(recipientsFor(r, users, ruian, 1, WORKDAY_10, ZONE, ['c', 'a', 'b'])).toEqual({ recipients: ['a', 'b', 'c'], route: 'kept' });
  });
});

describe('userDirectory', () => {
  it('finds each user by name', () => {
    const dir = userDirectory([sup('a'), { username: 'b', role: 'admin' }]);
    expect([...dir.keys()]).toEqual(['a', 'b']);
    expect(dir.get('b')).toEqual({ username: 'b', role: 'admin' });
    expect(dir.get('c')).toBeUndefined();
  });
});

describe('scopes', () => {
  it('an empty scope covers all; centers and unit types both narrow', () => {
    expect(scopeCovers(undefined, ruian)).toBe(true);
    expect(scopeCovers({ centers: [] }, ruian)).toBe(true);
    expect(scopeCovers({ centers: ['ruian'], unitTypes: ['power'] }, ruian)).toBe(true);
    expect(scopeCovers({ centers: ['ruian'], unitTypes: ['water'] }, ruian)).toBe(false);
    expect(scopeCovers({ centers: ['taishun'] }, ruian)).toBe(false);
    expect(scopeCovers({ centers: ['ruian'] }, { center: null, unitType: 'power' })).toBe(false);
  });

  it('who can see an alarm', () => {
    expect(canSeeAlarm(undefined, ruian)).toBe(false);
    expect(canSeeAlarm({ username: 'v', role: 'viewer' }, ruian)).toBe(false);
    expect(canSeeAlarm({ username: 'a', role: 'admin', disabled: true }, ruian)).toBe(false);
    expect(canSeeAlarm(sup('s', { unitTypes: ['power'] }), ruian)).toBe(true);
    expect(canSeeAlarm(sup('s', { unitTypes: ['water'] }), ruian)).toBe(false);
  });
});

describe('无人接收', () => {
  it('is an open, unacknowledged alarm without recipients', () => {
    const open = { recipients: [], resolvedAt: null, acknowledgedBy: null };
    expect(isUnreached(open)).toBe(true);
    expect(isUnreached({ ...open, recipients: ['x'] })).toBe(false);
    expect(isUnreached({ ...open, acknowledgedBy: 'admin' })).toBe(false);
    expect(isUnreached({ ...open, resolvedAt: '2020-10-03T02:00:00Z' })).toBe(false);
  });
});

describe('a configurable ladder: supervisor -> leader -> 中心主任, each with its own timeout', () => {
  const laddered = rosterSchema.parse({
    shifts: [
      { user: 'day-sup', level: 'supervisor' },
      { user: 'leader', level: 'leader' },
      { user: 'director', level: 'director' },
    ],
    ladder: [
      { level: 'supervisor', ackTimeoutMinutes: 5, dutyAckTimeoutMinutes: 2 },
      { level: 'leader', ackTimeoutMinutes: 10 },
      { level: 'director', label: '中心主任' },
    ],
    ackTimeoutMinutes: 15,
  });
  const users = () => userDirectory(['day-sup', 'leader', 'director'].map((u) => sup(u)));

  it('pages each rung in turn and the top one past the end', () => {
    expect(recipientsFor(laddered, users(), ruian, 0, WORKDAY_10, ZONE).recipients).toEqual(['day-sup']);
    expect(recipientsFor(laddered, users(), ruian, 1, WORKDAY_10, ZONE, ['day-sup']).recipients).toEqual(['leader']);
    expect(recipientsFor(laddered, users(), ruian, 2, WORKDAY_10, ZONE, ['leader']).recipients).toEqual(['director']);
    expect(recipientsFor(laddered, users(), ruian, 3, WORKDAY_10, ZONE, ['director']).recipients).toEqual(['director']);
  });

  it("each rung's own timeout, shorter on duty, else the roster's", () => {
    expect(ackTimeoutMs(laddered, WORKDAY_10, ZONE, 0)).toBe(5 * 60_000);
    expect(ackTimeoutMs(laddered, HOLIDAY_10, ZONE, 0)).toBe(2 * 60_000);
    expect(ackTimeoutMs(laddered, WORKDAY_10, ZONE, 1)).toBe(10 * 60_000);
    expect(ackTimeoutMs(laddered, WORKDAY_10, ZONE, 2)).toBe(15 * 60_000);
  });

  it("today's roster documents stay valid: two rungs, supervisor and leader", () => {
    const old = rosterSchema.parse({
      shifts: [
        { user: 'a', level: 'supervisor' },
        { user: 'b', level: 'leader' },
      ],
      fallback: { '*': 'a' },
      ackTimeoutMinutes: 5,
    });
    expect(rungAt(old, 0).level).toBe('supervisor');
    expect(rungAt(old, 3).level).toBe('leader');
  });

  it('a shift on a level the ladder does not name is refused, by field', () => {
    const bad = rosterSchema.safeParse({ shifts: [{ user: 'x', level: 'director' }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['shifts.0.level']);
    const dup = rosterSchema.safeParse({ ladder: [{ level: 'supervisor' }, { level: 'supervisor' }] });
    expect(dup.error!.issues.map((i) => i.path.join('.'))).toEqual(['ladder']);
  });
});
