import { describe, expect, it } from 'vitest';
import { auditCsv, detailText, hasBeforeAfter, withinDays, type AuditRow } from './audit-rows';

const row = (at: string, detail: Record<string, unknown> = {}): AuditRow => ({ at, who: 'admin', action: 'user.update', ip: '127.0.0.1', detail });
const day = (iso: string) => iso.slice(0, 10);

describe('the audit page’s rows', () => {
  it('keeps the entries of the chosen days, either end open', () => {
    const rows = [row('2026-12-06T10:00:00Z'), row('2026-12-07T10:00:00Z'), row('2026-12-08T10:00:00Z')];
    expect(withinDays(rows, '2026-12-07', '2026-12-07', day).map((r) => r.at)).toEqual(['2026-12-07T10:00:00Z']);
    expect(withinDays(rows, '2026-12-07', '', day)).toHaveLength(2);
    expect(withinDays(rows, '', '', day)).toHaveLength(3);
  });

  it('tells an edit with before/after from other entries and keeps the rest as the detail', () => {
    const edit = row('2026-12-08T10:00:00Z', { username: 'lee', before: { role: 'viewer' }, after: { role: 'supervisor' } });
    expect(hasBeforeAfter(edit)).toBe(true);
    expect(detailText(edit)).toBe('{"username":"lee"}');
    expect(hasBeforeAfter(row('2026-12-08T10:00:00Z', { name: 'hall' }))).toBe(false);
  });

  it('exports CSV with a BOM, quoted cells and no spreadsheet formulas', () => {
    const csv = auditCsv([row('2026-12-08T10:00:00Z', { username: '=cmd', before: null, after: { role: 'supervisor' } })]);
    expect(csv.startsWith('\ufeff时间,用户,操作')).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain(`"{""username"":""=cmd""}"`);
    expect(line).toContain(`"{""role"":""supervisor""}"`);
    expect(line.split(',')[6]).toBe('null');
    expect(
      auditCsv([{ ...row('2026-12-08T10:00:00Z'), who: '=1+1' }])
        .split('\r\n')[1]!
        .split(',')[1],
    ).toBe(`'=1+1`);
  });
});
