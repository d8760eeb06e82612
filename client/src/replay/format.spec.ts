import { describe, expect, it } from 'vitest';
import { atParam, bannerText, shortDay } from './format';
import { setReportZone } from '../lib/zone';

// As the server announces it with its default TZ_REPORTS.
setReportZone('Asia/Shanghai');

describe('replay formats', () => {
  it('shows the virtual time in Shanghai', () => {
    const t = Date.parse('2020-08-14T02:10:59+08:00');
    expect(bannerText(t)).toBe('回放 2020-08-14 02:10');
    expect(atParam(t)).toBe('2020-08-14T02:10');
    expect(shortDay(t)).toBe('8/14');
  });
});
