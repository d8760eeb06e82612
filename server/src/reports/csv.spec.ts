import { describe, expect, it } from 'vitest';
import type { Table } from './bulletin-tables.js';
import { toCsv } from './csv.js';

const table = (rows: Table['rows']): Table => ({
  key: 'centers',
  sheet: '附件2',
  title: 't',
  headers: ['地区', '处警数', '办结率', '用时'],
  rows,
  indented: [],
  totals: [],
  notes: [],
});

describe('toCsv', () => {
  it('starts with a BOM, ends lines with CRLF and writes numbers as numbers', () => {
    const csv = toCsv(
      table([
        ['龙湾区', 1027, { percent: 99.61 }, { seconds: 1105 }],
        ['泰顺县', 0, null, '-'],
      ]),
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\r\n')).toEqual(['地区,处警数,办结率,用时', '龙湾区,1027,99.61%,18分25秒', '泰顺县,0,,-', '']);
  });

  it('prints a whole percentage with two decimals', () => {
    expect(toCsv(table([['x', 1, { percent: 100 }, null]]))).toContain('x,1,100.00%,');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const csv = toCsv(
      table([
        ['a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")'],
        ['-1', '@x', '+1', '-'],
      ]),
    );
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe('"a,b","say ""hi""","two\nlines","\'=HYPERLINK(""x"")"');
    expect(lines[2]).toBe("-1,'@x,'+1,-");
  });
});
