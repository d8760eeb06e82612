import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import { DRAFT_LABEL, type BulletinDoc, type DocBlock, type DocTable } from '@wall/shared';

// The 通报 as a Word file in the 党政机关公文格式 (GB/T 9704-2012): A4, a 156 mm × 225 mm
// type area of 22 lines × 28 characters in 三号仿宋, the red 发文机关标志 and separator line,
// 一、 headings in 黑体 and （一） in 楷体, 一字线 page numbers, each 附件 on a page of its own,
// and the 版记 (抄送) at the end. Written from the same BulletinDoc the page renders.

/** Twips (1/1440 inch) per millimetre. */
const MM = 1440 / 25.4;
const mm = (v: number) => Math.round(v * MM);
/** Font sizes in half-points, by their Chinese names. */
const SIZE = { er: 44, xiaoer: 36, san: 32, si: 28, xiaosi: 24, wu: 21, xiaowu: 18 } as const;
/** 225 mm / 22 lines, in twips: the exact line pitch that gives 22 lines a page. */
const LINE = Math.floor(mm(225) / 22);
/**
 * 28 characters of 三号 (16 pt) a line in 156 mm: each 0.25 pt narrower. Set on the runs, not
 * by a character grid: LibreOffice widens a linesAndChars grid's cells (17 a line, not 28),
 * and its line grid stretches every table row to a full line.
 */
const CONDENSE = -5;
/** Two characters of 三号 at that pitch: the first-line indent of every body paragraph. */
const INDENT = Math.round((156 / 28) * 2 * MM);
const RED = 'FF0000';

/**
 * The fonts by the names 公文 templates give them. They are not on a Linux machine, so each
 * run also names its fallback for Latin text, and LibreOffice's own substitution table maps
 * the Chinese names to the Noto CJK families it has (serif for 宋/仿宋/楷, sans for 黑).
 */
const FONT = {
  xbs: { eastAsia: '方正小标宋简体', ascii: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' },
  fs: { eastAsia: '仿宋_GB2312', ascii: '仿宋_GB2312', hAnsi: '仿宋_GB2312' },
  ht: { eastAsia: '黑体', ascii: 'Noto Sans CJK SC', hAnsi: 'Noto Sans CJK SC' },
  kt: { eastAsia: '楷体_GB2312', ascii: '楷体_GB2312', hAnsi: '楷体_GB2312' },
  song: { eastAsia: '宋体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' },
} as const;
type FontKey = keyof typeof FONT;

function run(text: string, font: FontKey = 'fs', size: number = SIZE.san, extra: Partial<IRunOptions> = {}): TextRun {
  // zh-CN: LibreOffice picks the Simplified Chinese face of a CJK fallback (not the Japanese one).
  return new TextRun({ text, font: FONT[font], size, language: { value: 'zh-CN', eastAsia: 'zh-CN' }, ...(size === SIZE.san ? { characterSpacing: CONDENSE } : {}), ...extra });
}

const exact = { line: LINE, lineRule: LineRuleType.EXACT } as const;

function body(children: ParagraphChild[], options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}): Paragraph {
  return new Paragraph({
    children,
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: exact,
    indent: options.indent === false ? undefined : { firstLine: INDENT },
  });
}

const blank = () => new Paragraph({ spacing: exact, children: [] });

/** A narrow cell's "18分25秒" breaks after 分 rather than wherever the width runs out. */
function cellParagraph(text: string, size: number, bold = false): Paragraph {
  const split = /^(\d+分)(\d+秒)$/.exec(text);
  const font: FontKey = bold ? 'ht' : 'fs';
  const children = split ? [run(split[1]!, font, size), run(split[2]!, font, size, { break: 1 })] : [run(text, font, size)];
  return new Paragraph({ alignment: AlignmentType.CENTER, children });
}

const CELL_MARGINS = { left: mm(0.8), right: mm(0.8), top: mm(0.6), bottom: mm(0.6) };

/** A table with its header rows (merged as the seed merges them) repeated on each page. */
function table(t: DocTable, size: number, widths: number[]): Table {
  const head = t.head.map(
    (cells) =>
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: cells.map(
          (c) =>
            new TableCell({
              children: [cellParagraph(c.text, size, true)],
              verticalAlign: VerticalAlignTable.CENTER,
              margins: CELL_MARGINS,
              ...(c.cols ? { columnSpan: c.cols } : {}),
              ...(c.rows ? { rowSpan: c.rows } : {}),
            }),
        ),
      }),
  );
  const rows = t.rows.map(
    (cells, r) =>
      new TableRow({
        cantSplit: true,
        children: cells
          .map((text, c) =>
            // The 合计 row's label spans the 序号 and name columns, as the seed prints it.
            t.totals.includes(r) && c === 1 && text === ''
              ? null
              : new TableCell({
                  children: [cellParagraph(text, size, t.totals.includes(r))],
                  verticalAlign: VerticalAlignTable.CENTER,
                  margins: CELL_MARGINS,
                  ...(t.totals.includes(r) && c === 0 && cells[1] === '' ? { columnSpan: 2 } : {}),
                }),
          )
          .filter((c): c is TableCell => c !== null),
      }),
  );
  const total = widths.reduce((a, b) => a + b, 0);
  return new Table({
    rows: [...head, ...rows],
    layout: TableLayoutType.FIXED,
    width: { size: mm(156), type: WidthType.DXA },
    columnWidths: widths.map((w) => Math.round((w / total) * mm(156))),
  });
}

function blocks(list: DocBlock[]): Array<Paragraph | Table> {
  return list.map((b) => {
    if (b.kind === 'table') {
      const n = b.table.head[0]!.length;
      // 地区 and the late count get room; the department times share the rest.
      return table(b.table, SIZE.xiaowu, [3, ...Array<number>(n - 2).fill(2.4), 3.6]);
    }
    return body(b.lead ? [run(b.lead, 'kt'), run(b.text)] : [run(b.text)]);
  });
}

/** 一字线 page numbers in 四号宋体: odd pages on the right, even on the left, one character in. */
function pageNumber(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: mm(5.6) } : { left: mm(5.6) },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONT.song, size: SIZE.si })],
      }),
    ],
  });
}

function draftHeader(): Header {
  return new Header({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(`${DRAFT_LABEL}（未签发）`, 'ht', SIZE.si, { color: RED })] })] });
}

function front(doc: BulletinDoc): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [
    // 发文机关标志: red 小标宋, centred, on the first lines of the type area.
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: mm(10), after: mm(6) }, children: [run(doc.masthead, 'xbs', 76, { color: RED, characterSpacing: -20 })] }),
    blank(),
    // 发文字号 two lines under it, with the red separator line 4 mm beneath.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exact,
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 8 } },
      children: [run(doc.docNumber ?? `〔文号待定〕（${DRAFT_LABEL}）`)],
    }),
    blank(),
  ];
  for (const line of doc.title)
    out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: mm(12), lineRule: LineRuleType.EXACT }, children: [run(line, 'xbs', SIZE.er)] }));
  if (doc.demoNote) out.push(body([run(doc.demoNote, 'ht', SIZE.san, { color: RED })], { indent: false, align: AlignmentType.CENTER }));
  out.push(blank());
  return out;
}

function mainText(doc: BulletinDoc): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [body([run(doc.salutation)], { indent: false }), body([run(doc.opening)])];
  if (doc.comparison) out.push(body([run(doc.comparison)]));
  for (const s of doc.sections) {
    out.push(new Paragraph({ children: [run(s.heading, 'ht')], spacing: exact, indent: { firstLine: INDENT }, keepNext: true }));
    out.push(...blocks(s.blocks));
  }
  out.push(new Paragraph({ spacing: exact, keepNext: true, children: [] }));
  // 附件说明: 左空二字 "附件：", each further name aligned under the first.
  // A name that wraps continues under its number, not under 附件.
  const after = INDENT + Math.round((INDENT / 2) * 3);
  doc.annexList.forEach((name, i) =>
    out.push(
      new Paragraph({
        spacing: exact,
        keepNext: true,
        indent: i === 0 ? { left: after, hanging: after - INDENT } : { left: after },
        children: [run(i === 0 ? `附件：${name}` : name)],
      }),
    ),
  );
  // 附件说明, 署名 and 成文日期 kept on one page: a date alone on a page is no 落款.
  out.push(new Paragraph({ spacing: exact, keepNext: true, children: [] }), new Paragraph({ spacing: exact, keepNext: true, children: [] }));
  // 署名 over 成文日期, the date 右空四字.
  out.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, keepNext: true, indent: { right: INDENT * 1.5 }, children: [run(doc.signer)] }));
  out.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, indent: { right: INDENT * 2 }, children: [run(doc.date ?? `（成文日期待定）`)] }));
  return out;
}

function annexes(doc: BulletinDoc): Array<Paragraph | Table> {
  return doc.annexes.flatMap((a, i) => [
    new Paragraph({ pageBreakBefore: true, spacing: exact, children: [run(a.label, 'ht')] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: mm(4), after: mm(2) }, children: [run(a.title, 'xbs', SIZE.xiaoer)] }),
    new Paragraph({ spacing: { after: mm(2) }, children: [run(a.range, 'fs', SIZE.xiaosi)] }),
    // 附件1: 序号, a long unit name, six counts; 附件2: 序号, a center, seven figures.
    table(a.table, SIZE.xiaosi, i === 0 ? [1.2, 6, 1.5, 1.5, 1.6, 1.5, 1.5, 1.5] : [1.4, 2.4, 1.6, 1.5, 2.2, 1.6, 1.6, 1.6, 1.6]),
  ]);
}

/** 版记: 抄送 between two lines, after the annexes, as the standard places it. */
function colophon(doc: BulletinDoc): Paragraph[] {
  if (!doc.cc) return [];
  const line = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 4 } as const;
  return [
    blank(),
    new Paragraph({ spacing: exact, indent: { left: mm(5.6), right: mm(5.6), hanging: 0 }, border: { top: line, bottom: line }, children: [run(doc.cc, 'fs', SIZE.si)] }),
  ];
}

export async function toDocx(doc: BulletinDoc): Promise<Buffer> {
  const file = new Document({
    creator: doc.masthead,
    title: `${doc.title.join('')}${doc.draft ? `（${DRAFT_LABEL}）` : ''}`,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: FONT.fs, size: SIZE.san } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(22) },
          },
          // The pitch recorded without snapping (see CONDENSE); the exact line spacing keeps 22 lines.
          grid: { type: DocumentGridType.DEFAULT, linePitch: LINE },
        },
        headers: doc.draft ? { default: draftHeader(), even: draftHeader() } : undefined,
        footers: { default: pageNumber('odd'), even: pageNumber('even') },
        children: [...front(doc), ...mainText(doc), ...annexes(doc), ...colophon(doc)],
      },
    ],
  });
  return Packer.toBuffer(file);
}
