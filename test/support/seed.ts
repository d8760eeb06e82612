import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The August 2020 bulletin (情况通报) as printed, read from its text so the tests compare with
// the document itself rather than with figures copied by hand.

const here = dirname(fileURLToPath(import.meta.url));
export const SEED_PATH = join(here, '../fixtures/bulletin-2020-08.txt');

export interface SeedUnitRow {
  name: string;
  orders: number;
  signed: number;
  unsigned: number;
  feedbacks: number;
  unfed: number;
  returned: number;
}

export interface SeedCenterRow {
  name: string;
  incidents: number;
  closed: number;
  /** As printed: "100.00%", "99.60%", "" for 合计. */
  closedRate: string;
  feedbacks: number;
  unfed: number;
  overdueFeedback: number;
  returned: number;
}

export interface SeedDrillRow {
  /** 瓯海区, 永嘉县 */
  name: string;
  /** Department label (公安, 应急管理, …) -> the printed time ("3分", "18分25秒", "-"). */
  times: Record<string, string>;
  late: number;
}

export interface SeedBulletin {
  drills: SeedDrillRow[];
  units: SeedUnitRow[];
  unitsTotal: SeedUnitRow;
  centers: SeedCenterRow[];
  total: SeedCenterRow;
}

function cells(text: string): string[] {
  return text.split('\n').map((l) => l.trim());
}

export function readSeed(path = SEED_PATH): SeedBulletin {
  const text = readFileSync(path, 'utf8');
  const a1 = text.indexOf('\n附件1');
  const a2 = text.indexOf('\n附件2');
  const annex1 = cells(text.slice(a1, a2));
  const annex2 = cells(text.slice(a2));
  const n = (s: string | undefined) => {
    if (s === undefined || !/^\d+$/.test(s)) throw new Error(`seed: expected a count, got ${JSON.stringify(s)}`);
    return Number(s);
  };

  const units: SeedUnitRow[] = [];
  let unitsTotal: SeedUnitRow | undefined;
  for (let i = annex1.indexOf('已退单') + 1; i < annex1.length; i++) {
    const c = annex1[i]!;
    if (c.replace(/\s/g, '') === '合计') {
      const v = annex1.slice(i + 1, i + 7);
      unitsTotal = { name: '合计', orders: n(v[0]), signed: n(v[1]), unsigned: n(v[2]), feedbacks: n(v[3]), unfed: n(v[4]), returned: n(v[5]) };
      break;
    }
    if (/^\d+$/.test(c) && Number(c) === units.length + 1) {
      const v = annex1.slice(i + 1, i + 8);
      units.push({ name: v[0]!, orders: n(v[1]), signed: n(v[2]), unsigned: n(v[3]), feedbacks: n(v[4]), unfed: n(v[5]), returned: n(v[6]) });
      i += 7;
    }
  }

  const centers: SeedCenterRow[] = [];
  let total: SeedCenterRow | undefined;
  for (let i = annex2.indexOf('已退单') + 1; i < annex2.length; i++) {
    const c = annex2[i]!;
    if (c === '合计') {
      const v = annex2.slice(i + 1, i + 8);
      total = { name: '合计', incidents: n(v[0]), closed: n(v[1]), closedRate: v[2]!, feedbacks: n(v[3]), unfed: n(v[4]), overdueFeedback: n(v[5]), returned: n(v[6]) };
      break;
    }
    if (/^\d+$/.test(c) && Number(c) === centers.length + 1) {
      const v = annex2.slice(i + 1, i + 9);
      centers.push({ name: v[0]!, incidents: n(v[1]), closed: n(v[2]), closedRate: v[3]!, feedbacks: n(v[4]), unfed: n(v[5]), overdueFeedback: n(v[6]), returned: n(v[7]) });
      i += 8;
    }
  }
  if (!unitsTotal || !total || units.length !== 10 || centers.length !== 13) throw new Error(`seed: could not read the annexes (${units.length} units, ${centers.length} centers)`);

  // The drill table: 地区, ten departments, the late count; then one row per district.
  const body = cells(text.slice(text.indexOf('检查情况如下'), text.indexOf('二、各县'))).filter((c) => c !== '');
  const head = body.slice(body.indexOf('地区') + 1, body.indexOf('未在规时限内到达现场数量'));
  const drills: SeedDrillRow[] = [];
  for (let i = body.indexOf('未在规时限内到达现场数量') + 1; i + head.length + 1 < body.length + 1; i += head.length + 2) {
    const name = body[i]!;
    const values = body.slice(i + 1, i + 1 + head.length);
    drills.push({ name, times: Object.fromEntries(head.map((h, k) => [h, values[k]!])), late: n(body[i + 1 + head.length]) });
  }
  if (drills.length !== 2 || head.length !== 10) throw new Error(`seed: could not read the drill table (${drills.length} rows, ${head.length} departments)`);
  return { drills, units, unitsTotal, centers, total };
}
