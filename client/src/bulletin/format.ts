import { drillCell, formatMinSec, type DrillRow, type Zone } from '@wall/shared';
import { reportZone } from '../lib/zone';

// Cell texts of the bulletin page, as the printed 通报 writes them.

/** 99.61 -> "99.61%"; no incidents -> "-". */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${rate.toFixed(2)}%`;
}

export interface DrillCellText {
  text: string;
  late: boolean;
}

/** "-" when the drill did not call the department, "未到场" when its unit never arrived. */
export function drillCellText(row: DrillRow, unitType: string): DrillCellText {
  const cell = drillCell(row, unitType);
  if (!cell) return { text: '-', late: false };
  if (cell.seconds === null) return { text: '未到场', late: cell.late };
  return { text: formatMinSec(cell.seconds), late: cell.late };
}

/** Points without float noise: 6.5 -> "6.5", 4 -> "4". */
export function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

/** "8月25日 10:00" in the report zone (TZ_REPORTS, from the server). */
export function dayTime(iso: string, zone: Zone = reportZone()): string {
  const p = zone.parts(Date.parse(iso));
  return `${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}
