import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupPopups } from '@wall/shared';
import { alarm } from './fixtures';
import { addPopup, dropPopupAlarms, popupTitle, updatePopupAlarm, type PopupGroup } from './popups';

const W = 30_000;

describe('popup flood control', () => {
  it('groups alarms of one unit within the window into one popup with a count', () => {
    let g: PopupGroup[] = [];
    for (let i = 0; i < 50; i++) g = addPopup(g, alarm(`a${i}`), 1000 + i * 100, W);
    expect(g).toHaveLength(1);
    expect(g[0]!.alarms).toHaveLength(50);
  });

  it('opens a new popup for another unit, and for the same unit after the window', () => {
    let g = addPopup([], alarm('a'), 0, W);
    g = addPopup(g, alarm('b', { unit: 'ruian.fire' }), 1000, W);
    g = addPopup(g, alarm('c'), W, W); // inclusive
    g = addPopup(g, alarm('d'), W + 1, W);
    expect(g.map((x) => x.alarms.map((a) => a.id))).toEqual([['a', 'c'], ['b'], ['d']]);
  });

  it('does not add an alarm twice (an escalation of one already shown updates it)', () => {
    let g = addPopup([], alarm('a'), 0, W);
    g = addPopup(g, alarm('a', { level: 1 }), 500, W);
    expect(g[0]!.alarms).toHaveLength(1);
    expect(g[0]!.alarms[0]!.level).toBe(1);
    expect(updatePopupAlarm(g, alarm('a', { level: 2 }))[0]!.alarms[0]!.level).toBe(2);
  });

  it('drops acknowledged or resolved alarms; an emptied popup closes', () => {
    let g = addPopup([], alarm('a'), 0, W);
    g = addPopup(g, alarm('b'), 1, W);
    g = addPopup(g, alarm('c', { unit: 'x' }), 2, W);
    g = dropPopupAlarms(g, ['a']);
    expect(g.map((x) => x.alarms.length)).toEqual([1, 1]);
    g = dropPopupAlarms(g, new Set(['b', 'c']));
    expect(g).toEqual([]);
  });

  it('after a popup was acknowledged, a new alarm of that unit opens a new one even within the window', () => {
    let g = addPopup([], alarm('a'), 0, W);
    g = dropPopupAlarms(g, ['a']);
    g = addPopup(g, alarm('b'), 1000, W);
    expect(g).toHaveLength(1);
    expect(g[0]!.first).toBe(1000);
  });

  it('groups as groupPopups in @wall/shared does, one arrival at a time', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ unit: fc.constantFrom('u1', 'u2', 'u3'), dt: fc.integer({ min: 0, max: 20_000 }) }), { maxLength: 40 }), (arrivals) => {
        let t = 0;
        const items = arrivals.map((x, i) => ({ ...alarm(`a${i}`, { unit: x.unit }), t: (t += x.dt) }));
        let g: PopupGroup[] = [];
        for (const it of items) g = addPopup(g, it, it.t, W);
        const expected = groupPopups(
          items.map((it) => ({ ...it, raisedAt: it.t })),
          W,
        );
        const ids = (groups: Array<{ alarms: Array<{ id: string }> }>) => groups.map((x) => x.alarms.map((a) => a.id)).sort();
        expect(ids(g)).toEqual(ids(expected));
      }),
    );
  });

  it('titles a popup with the unit and the limit, or the count', () => {
    const one = addPopup([], alarm('a'), 0, W);
    const names = (u: string) => (u === 'ruian.power' ? '瑞安电力局' : u);
    const limits = (l: string) => ({ sign: '签收' })[l] ?? l;
    expect(popupTitle(one[0]!, names, limits)).toBe('瑞安电力局 签收逾期');
    const two = addPopup(one, alarm('b', { limit: 'arrive' }), 1, W);
    expect(popupTitle(two[0]!, names, limits)).toBe('瑞安电力局 2 条逾期');
  });
});
