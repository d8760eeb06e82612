import { describe, expect, it } from 'vitest';
import { DEFAULT_ROSTER } from '@wall/shared';
import { dutyToday, formatDateTime, formatLate, formatTime, overdueText, roleAllowed, shiftStart, tokenSubject } from './time';
import { setReportZone } from '../lib/zone';

// As the server announces it with its default TZ_REPORTS.
setReportZone('Asia/Shanghai');

describe('console times', () => {
  const due = Date.parse('2020-10-03T02:00:00Z'); // 10:00 in Shanghai

  it('ticks the overdue timer from the due time', () => {
    expect(overdueText(due - 5000, due)).toBe('00:00');
    expect(overdueText(due + 7_400, '2020-10-03T02:00:00Z')).toBe('00:07');
    expect(overdueText(due + 3723_000, due)).toBe('1:02:03');
  });

  it('formats instants in Asia/Shanghai', () => {
    expect(formatDateTime('2020-10-03T02:00:09Z')).toBe('10-03 10:00:09');
    expect(formatDateTime('2020-10-03T16:30:00Z')).toBe('10-04 00:30:00');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('nonsense')).toBe('—');
    expect(formatTime(due)).toBe('10:00:00');
  });

  it('says how late in words', () => {
    expect(formatLate(0)).toBe('0秒');
    expect(formatLate(42)).toBe('42秒');
    expect(formatLate(192)).toBe('3分12秒');
    expect(formatLate(3725)).toBe('1小时02分05秒');
    expect(formatLate(null)).toBe('—');
  });

  it('starts the shift 12 hours back on a whole minute', () => {
    expect(shiftStart(Date.parse('2020-10-03T14:00:31.5Z'))).toBe(Date.parse('2020-10-03T02:00:00Z'));
  });

  it('shows holiday duty on its days in Shanghai, not the evening before', () => {
    expect(dutyToday(DEFAULT_ROSTER, Date.parse('2020-10-03T04:00:00Z'))?.name).toBe('国庆·中秋');
    expect(dutyToday(DEFAULT_ROSTER, Date.parse('2020-09-30T15:59:59Z'))).toBeNull();
    expect(dutyToday(DEFAULT_ROSTER, Date.parse('2020-09-30T16:00:00Z'))?.name).toBe('国庆·中秋'); // 10-01 00:00 local
    expect(dutyToday(DEFAULT_ROSTER, Date.parse('2020-10-08T16:00:00Z'))).toBeNull();
    expect(dutyToday(null, due)).toBeNull();
  });

  it('reads the user of a token and who may use the console', () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(tokenSubject(`${b64({ alg: 'HS256' })}.${b64({ sub: '督导1', role: 'supervisor' })}.sig`)).toBe('督导1');
    expect(tokenSubject('opaque')).toBeNull();
    expect(tokenSubject('a.%%%.c')).toBeNull();
    expect(roleAllowed('supervisor')).toBe(true);
    expect(roleAllowed('admin')).toBe(true);
    expect(roleAllowed('viewer')).toBe(false);
    expect(roleAllowed(null)).toBe(true);
  });
});
