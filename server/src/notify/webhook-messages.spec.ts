import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Alarm } from '@wall/shared';
import { accepted, alarmText, dingtalkSignedUrl, webhookRequest } from './webhook-messages.js';

const alarm: Alarm = {
  id: 'abc-sign',
  order: 'o1',
  incident: 'i1',
  unit: 'ruian.police',
  unitType: 'police',
  center: 'ruian',
  limit: 'sign',
  dueAt: '2020-10-03T02:00:00.000Z',
  raisedAt: '2020-10-03T02:00:00.300Z',
  resolvedAt: null,
  lateSeconds: null,
  outcome: null,
  acknowledgedBy: null,
  acknowledgedAt: null,
  note: null,
  level: 0,
  recipients: ['sup'],
};
const names = { unit: (id: string) => (id === 'ruian.police' ? '瑞安市公安' : id), center: (id: string | null) => (id === 'ruian' ? '瑞安市' : String(id)) };
const NOW = Date.parse('2020-10-03T02:07:30Z');

describe('notification text', () => {
  it('names the unit, center, limit, due time (Shanghai) and overdue minutes', () => {
    const { title, text } = alarmText(alarm, 0, names, NOW);
    expect(title).toBe('逾期告警：瑞安市公安 签收超时');
    for (const part of ['瑞安市公安', '中心：瑞安市', '时限：签收', '应于：10-03 10:00:00', '已逾期：7 分钟']) expect(text).toContain(part);
  });

  it('is unique per alarm and per level', () => {
    const a = alarmText(alarm, 0, names, NOW).text;
    expect(alarmText({ ...alarm, id: 'other-sign' }, 0, names, NOW).text).not.toBe(a);
    expect(alarmText(alarm, 1, names, NOW).text).not.toBe(a);
  });
});

describe('an alarm routed on a day the calendar does not cover', () => {
  it('says the holiday calendar is missing; an ordinary one does not', () => {
    expect(alarmText({ ...alarm, calendarMissing: true }, 0, names, NOW).text).toContain('法定节假日日历缺失');
    expect(alarmText(alarm, 0, names, NOW).text).not.toContain('日历缺失');
  });
});

describe('DingTalk signing', () => {
  it("adds timestamp and sign = base64(HMAC-SHA256(secret, ts + '\\n' + secret)), URL-encoded", () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t0k', 'SECabc', 1_600_000_000_000);
    const u = new URL(url);
    expect(u.searchParams.get('access_token')).toBe('t0k');
    expect(u.searchParams.get('timestamp')).toBe('1600000000000');
    const expected = createHmac('sha256', 'SECabc').update('1600000000000\nSECabc').digest('base64');
    expect(u.searchParams.get('sign')).toBe(expected);
    // The raw query carries it URL-encoded (base64's + / = never raw).
    expect(url).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('leaves an unsigned robot URL as it is', () => {
    expect(webhookRequest({ kind: 'dingtalk', url: 'http://h/robot' }, alarm, 0, 'sup', names, NOW).url).toBe('http://h/robot');
  });
});

describe('bodies and answers by kind', () => {
  it('dingtalk and wecom markdown, json the alarm', () => {
    expect(webhookRequest({ kind: 'dingtalk', url: 'http://h/' }, alarm, 0, 'sup', names, NOW).body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '逾期告警：瑞安市公安 签收超时' },
    });
    expect(webhookRequest({ kind: 'wecom', url: 'http://h/' }, alarm, 0, 'sup', names, NOW).body).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('瑞安市公安') },
    });
    expect(webhookRequest({ kind: 'json', url: 'http://h/' }, alarm, 2, 'sup', names, NOW).body).toMatchObject({ recipient: 'sup', level: 2, alarm: { id: 'abc-sign' } });
  });

  it("a robot's errcode is a failure even with HTTP 200", () => {
    expect(accepted({ kind: 'dingtalk', url: 'http://h/' }, 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(accepted({ kind: 'dingtalk', url: 'http://h/' }, 200, '{"errcode":310000,"errmsg":"sign not match"}').ok).toBe(false);
    expect(accepted({ kind: 'json', url: 'http://h/' }, 500, '')).toEqual({ ok: false, error: 'HTTP 500' });
  });
});
