// The 审计 page's rows: the newest entries the API gives (at most AUDIT_FETCH), filtered by day
// here, a page of them shown, the filtered ones exported as CSV. An entry's `detail` holds
// `before`/`after` for edits: shown side by side.

export const AUDIT_FETCH = 1000;

export interface AuditRow {
  at: string;
  who: string;
  action: string;
  ip: string | null;
  detail: Record<string, unknown>;
  count?: number;
}

/** Entries whose local day (the browser's `dayOf`) is within [from, to], both "YYYY-MM-DD" or empty for open. */
export function withinDays(rows: readonly AuditRow[], from: string, to: string, dayOf: (iso: string) => string): AuditRow[] {
  return rows.filter((r) => {
    const day = dayOf(r.at);
    return (!from || day >= from) && (!to || day <= to);
  });
}

export function hasBeforeAfter(row: AuditRow): boolean {
  return 'before' in row.detail || 'after' in row.detail;
}

/** The detail without before/after, as one line. */
export function detailText(row: AuditRow): string {
  const { before: _b, after: _a, ...rest } = row.detail;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}

function cell(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const head = ['时间', '用户', '操作', '地址', '次数', '详情', '修改前', '修改后'];
  const lines = rows.map((r) =>
    [
      r.at,
      r.who,
      r.action,
      r.ip ?? '',
      String(r.count ?? 1),
      detailText(r),
      r.detail.before === undefined ? '' : JSON.stringify(r.detail.before),
      r.detail.after === undefined ? '' : JSON.stringify(r.detail.after),
    ]
      .map(cell)
      .join(','),
  );
  // The BOM makes Excel read the file as UTF-8.
  return `\ufeff${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
