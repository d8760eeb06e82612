import { LIMIT_LABELS, type Alarm, type Webhook } from '@wall/shared';
import { createHmac } from 'node:crypto';

// The bodies of work notifications, by webhook kind, and DingTalk's signed URL. Pure but for
// the clock passed in.

export interface MessageNames {
  unit(id: string): string;
  center(id: string | null): string;
}

/** Shanghai wall-clock "MM-DD HH:MM:SS" (the command center's time, whatever the server's zone). */
function shanghai(t: number): string {
  return new Date(t + 8 * 3600_000).toISOString().slice(5, 19).replace('T', ' ');
}

/**
 * The title and the markdown text. Unique per alarm and level: 浙政钉 drops identical
 * content sent to one user within a day, so the text carries the alarm's id and level.
 */
export function alarmText(alarm: Alarm, level: number, names: MessageNames, now: number): { title: string; text: string } {
  const limit = LIMIT_LABELS[alarm.limit];
  const due = Date.parse(alarm.dueAt);
  const minutes = Math.max(0, Math.floor((now - due) / 60_000));
  const unit = names.unit(alarm.unit);
  const title = `逾期告警：${unit} ${limit}超时`;
  const lines = [
    `### ${title}${level > 0 ? `（第 ${level} 级升级）` : ''}`,
    `- 单位：${unit}`,
    `- 中心：${names.center(alarm.center)}`,
    `- 时限：${limit}`,
    `- 应于：${shanghai(due)}`,
    `- 已逾期：${minutes} 分钟`,
    `- 告警编号：${alarm.id}·${level}`,
    ...(alarm.calendarMissing ? ['', '> 注意：当日法定节假日日历缺失，按普通工作日/周末排班，值班人员可能有误。'] : []),
    '',
    '请登录督导台确认并督促处置。',
  ];
  return { title, text: lines.join('\n') };
}

/** DingTalk's 加签: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded, added to the query. */
export function dingtalkSignedUrl(url: string, secret: string, timestamp: number): string {
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', sign);
  return u.toString();
}

export function webhookRequest(hook: Webhook, alarm: Alarm, level: number, user: string, names: MessageNames, now: number): { url: string; body: unknown } {
  const { title, text } = alarmText(alarm, level, names, now);
  switch (hook.kind) {
    case 'dingtalk':
      return { url: hook.secret ? dingtalkSignedUrl(hook.url, hook.secret, now) : hook.url, body: { msgtype: 'markdown', markdown: { title, text } } };
    case 'wecom':
      return { url: hook.url, body: { msgtype: 'markdown', markdown: { content: text } } };
    case 'json':
      return { url: hook.url, body: { type: 'alarm', recipient: user, level, title, text, alarm } };
  }
}

/** DingTalk and WeCom answer 200 with `errcode` 0 on success; anything else is a failure to retry. */
export function accepted(hook: Webhook, status: number, body: string): { ok: boolean; error?: string } {
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}` };
  if (hook.kind === 'json') return { ok: true };
  try {
    const answer = JSON.parse(body) as { errcode?: number; errmsg?: string };
    if (answer.errcode !== undefined && answer.errcode !== 0) return { ok: false, error: `errcode ${answer.errcode}: ${answer.errmsg ?? ''}`.trim() };
  } catch {
    // A 2xx without JSON: some gateways in front of the robots answer so.
  }
  return { ok: true };
}
