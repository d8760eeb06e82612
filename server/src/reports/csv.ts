import { DEMO_NOTE, formatMinSec } from '@wall/shared';
import type { Cell, Table } from './bulletin-tables.js';

// RFC 4180 CSV of one bulletin table. The UTF-8 byte order mark makes Excel read the Chinese
// text as UTF-8 (without it Excel on Chinese Windows assumes GBK and shows mojibake); CRLF
// line ends are what Excel writes itself.

const BOM = '\uFEFF';

function text(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'string') return cell;
  // Excel reads "99.61%" back as the number 0.9961; durations are shown as the bulletin writes them.
  if ('percent' in cell) return `${cell.percent.toFixed(2)}%`;
  return formatMinSec(cell.seconds);
}

function quote(value: string): string {
  // A leading = + - @ would make Excel evaluate the field as a formula (CSV injection):
  // ids and texts come from the feed, so they are prefixed with an apostrophe.
  // A lone "-" (the drill table's "not called") is no formula and stays as the bulletin has it.
  const formula = value.length > 1 && /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?%?$/.test(value);
  const safe = formula ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: Table): string {
  const lines = [table.headers, ...table.rows.map((row) => row.map(text))].map((cells) => cells.map(quote).join(','));
  // A demonstration's table says so in the file itself, not only in its name.
  if (table.notes.includes(DEMO_NOTE)) lines.push(quote(DEMO_NOTE));
  return BOM + lines.join('\r\n') + '\r\n';
}
