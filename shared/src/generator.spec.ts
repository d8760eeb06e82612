import { describe, expect, it } from 'vitest';
import { readSeed } from '../../test/support/seed.js';
import { BULLETIN_ALL_INCIDENTS, drawProfile, generateMonth, seededRng } from './generator.js';
import { projectEvents } from './projection.js';
import { DEFAULT_INDEX } from './reference.js';
import { drillCell, drillColumns, drillReport, formatMinSec, monthlyReport } from './report.js';
import { Zone } from './time.js';

const ZONE = new Zone('Asia/Shanghai');
const hourOf = (t: number) => ZONE.parts(t).hour;
const month = (key: string, perDay?: number) => {
  const [y, m] = key.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return generateMonth(2020, ZONE.startOfMonth(key), ZONE.startOfMonth(next), hourOf, perDay, key);
};
const stored = (events: ReturnType<typeof month>) => events.map((e) => ({ ...e, t: Date.parse(e.at) }));

describe('generateMonth', () => {
  it('gives the seed bulletin’s 附件2 incidents, feedbacks, unfed and returns for August, each center its own', () => {
    const seed = readSeed();
    const report = monthlyReport(projectEvents(stored(month('2020-08')), DEFAULT_INDEX, ZONE), '2020-08', DEFAULT_INDEX);
    expect(report.centers.map((c) => [c.name, c.incidents, c.closed, c.feedbacks, c.unfed, c.overdueFeedback, c.returned])).toEqual(
      seed.centers.map((c) => [c.name, c.incidents, c.closed, c.feedbacks, c.unfed, c.overdueFeedback, c.returned]),
    );
    expect(report.units.filter((u) => u.center === 'city').map((u) => [u.name, u.orders, u.signed, u.feedbacks, u.returned])).toEqual(
      seed.units.map((u) => [u.name, u.orders, u.signed, u.feedbacks, u.returned]),
    );
  }, 60_000); // a whole month (77,000 events) folded: seconds on a busy machine

  it('gives the seed bulletin’s drill table: each district’s departments, their times and the late count', () => {
    const seed = readSeed();
    const rows = drillReport(projectEvents(stored(month('2020-08', 5)), DEFAULT_INDEX, ZONE), '2020-08', DEFAULT_INDEX, ZONE);
    const columns = drillColumns(rows, DEFAULT_INDEX);
    const printed = rows.map((r) => ({
      name: DEFAULT_INDEX.centers.get(r.center)!.name,
      times: Object.fromEntries(columns.map((c) => [c.label, drillCell(r, c.unitType) ? formatMinSec(drillCell(r, c.unitType)!.seconds!) : '-'])),
      late: r.lateCount,
    }));
    expect(printed).toEqual(seed.drills);
    expect(rows.map((r) => ZONE.parts(Date.parse(r.at)).day)).toEqual([25, 25]);
  }, 30_000);

  it('gives each month ids of its own, and the same ids for the same month', () => {
    const ids = (events: ReturnType<typeof month>) => new Set(events.map((e) => e.id));
    const sep = ids(month('2019-09', 20));
    const oct = ids(month('2019-10', 20));
    expect([...oct].filter((id) => sep.has(id))).toEqual([]);
    expect(ids(month('2019-10', 20))).toEqual(oct);
  }, 30_000);

  it('scales every cell with the volume: half the bulletin a day, about half the incidents', () => {
    const half = new Set(
      month('2020-08', 9410 / 31 / 2)
        .filter((e) => e.type === 'incident.reported')
        .map((e) => e.incident),
    );
    // Rounded cell by cell, drills aside.
    expect(Math.abs(half.size - 2 - BULLETIN_ALL_INCIDENTS / 2)).toBeLessThanOrEqual(30);
  }, 30_000);
});

describe('drawProfile (the live simulator)', () => {
  it('draws centers at the bulletin’s shares: 市本级 its own incidents of every center’s', () => {
    const rng = seededRng(1);
    let city = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (drawProfile(rng).center === 'city') city++;
    expect(city / n).toBeCloseTo(readSeed().centers[0]!.incidents / BULLETIN_ALL_INCIDENTS, 1);
  });
});
