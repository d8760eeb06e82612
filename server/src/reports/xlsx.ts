import ExcelJS from 'exceljs';
import type { Cell, Table } from './bulletin-tables.js';

// The bulletin as an Excel workbook, one sheet per table, laid out like the printed annexes:
// a title row, the header (two rows with merged group cells where a header reads
// "指令总数·事件数"), the rows, then the notes. Numbers stay numbers: rates and durations
// are numeric cells with a display format, so staff can sum and sort them in Excel.

const DURATION_FORMAT = '[m]"分"ss"秒"';
const PERCENT_FORMAT = '0.00%';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function value(cell: Cell): { value: ExcelJS.CellValue; numFmt?: string } {
  if (cell === null || typeof cell === 'string' || typeof cell === 'number') return { value: cell };
  if ('percent' in cell) return { value: cell.percent / 100, numFmt: PERCENT_FORMAT };
  // Excel keeps time as a fraction of a day.
  return { value: cell.seconds / 86_400, numFmt: DURATION_FORMAT };
}

/** Splits "组·列" headers into a group row and a column row; null group = spans both rows. */
function headerRows(headers: string[]): { groups: Array<string | null>; columns: string[] } | undefined {
  if (!headers.some((h) => h.includes('·'))) return undefined;
  const groups = headers.map((h) => (h.includes('·') ? h.split('·')[0]! : null));
  const columns = headers.map((h) => (h.includes('·') ? h.split('·')[1]! : h));
  return { groups, columns };
}

function widthOf(text: string): number {
  // CJK characters are about twice as wide as Latin ones in Excel's default font.
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w;
}

function addSheet(book: ExcelJS.Workbook, table: Table): void {
  const sheet = book.addWorksheet(table.sheet, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = table.headers.length;

  sheet.addRow([table.title]);
  sheet.mergeCells(1, 1, 1, n);
  const title = sheet.getCell(1, 1);
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };

  const split = headerRows(table.headers);
  const headerStart = sheet.rowCount + 1;
  if (split) {
    sheet.addRow(split.groups.map((g, i) => g ?? table.headers[i]!));
    sheet.addRow(split.columns);
    for (let c = 0; c < n; c++) {
      if (split.groups[c] === null) sheet.mergeCells(headerStart, c + 1, headerStart + 1, c + 1);
      else if (c === 0 || split.groups[c - 1] !== split.groups[c]) {
        let end = c;
        while (end + 1 < n && split.groups[end + 1] === split.groups[c]) end++;
        if (end > c) sheet.mergeCells(headerStart, c + 1, headerStart, end + 1);
      }
    }
  } else {
    sheet.addRow(table.headers);
  }
  for (let r = headerStart; r <= sheet.rowCount; r++) {
    sheet.getRow(r).eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
  }

  table.rows.forEach((cells, i) => {
    const row = sheet.addRow(cells.map((c) => value(c).value));
    cells.forEach((c, col) => {
      const cell = row.getCell(col + 1);
      const format = value(c).numFmt;
      if (format) cell.numFmt = format;
      cell.border = BORDER;
      cell.alignment = { horizontal: typeof c === 'string' && col === 1 ? 'left' : 'center', indent: col === 1 && table.indented.includes(i) ? 2 : 0 };
      if (table.totals.includes(i)) cell.font = { bold: true };
    });
  });

  for (const note of table.notes) {
    const row = sheet.addRow([note]);
    sheet.mergeCells(row.number, 1, row.number, n);
    row.getCell(1).alignment = { wrapText: true };
  }

  table.headers.forEach((h, c) => {
    const texts = [h.split('·').pop()!, ...table.rows.map((r) => (typeof r[c] === 'string' ? (r[c] as string) : '0000000'))];
    sheet.getColumn(c + 1).width = Math.min(40, Math.max(8, ...texts.map(widthOf)) + 2);
  });
  sheet.views = [{ state: 'frozen', ySplit: headerStart + (split ? 1 : 0) }];
}

export async function toXlsx(tables: Table[], title?: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '温州市应急联动指挥中心';
  if (title) book.title = title;
  book.created = new Date();
  for (const table of tables) addSheet(book, table);
  return Buffer.from(await book.xlsx.writeBuffer());
}
