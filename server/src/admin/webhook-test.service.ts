import { Injectable, NotFoundException } from '@nestjs/common';
import type { Webhook } from '@wall/shared';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/auth.types.js';
import { accepted, dingtalkSignedUrl } from '../notify/webhook-messages.js';
import { RosterRepository } from '../roster/roster.repository.js';

const SEND_TIMEOUT_MS = 5000;
/** What of the receiver's answer the page shows. */
const ANSWER_CHARS = 500;

export interface WebhookTestResult {
  ok: boolean;
  status: number | null;
  /** The receiver's answer body, cut to ANSWER_CHARS. */
  answer: string;
  error?: string;
}

/** The 测试发送 message, by kind: signed as a real one (DingTalk's 加签), so a test proves the secret too. */
export function testRequest(hook: Webhook, user: string, by: string, now: number): { url: string; body: unknown } {
  const title = '测试消息：温州市应急联动指挥中心';
  const text = `### ${title}\n- 接收人：${user}\n- 发送人：${by}\n- 时间：${new Date(now).toISOString()}\n\n这是一条测试消息，无需处理。`;
  switch (hook.kind) {
    case 'dingtalk':
      return { url: hook.secret ? dingtalkSignedUrl(hook.url, hook.secret, now) : hook.url, body: { msgtype: 'markdown', markdown: { title, text } } };
    case 'wecom':
      return { url: hook.url, body: { msgtype: 'markdown', markdown: { content: text } } };
    case 'json':
      return { url: hook.url, body: { type: 'test', recipient: user, title, text } };
  }
}

/** Sends one stored webhook of a user a test message and answers what the receiver said; audited. */
@Injectable()
export class WebhookTestService {
  constructor(
    private readonly roster: RosterRepository,
    private readonly audit: AuditRepository,
  ) {}

  async send(by: Principal, user: string, index: number): Promise<WebhookTestResult> {
    const hook = (await this.roster.get()).contacts[user]?.webhooks[index];
    if (!hook) throw new NotFoundException(`webhook: ${user} has no saved webhook ${index + 1}`);
    const { url, body } = testRequest(hook, user, by.username, Date.now());
    let result: WebhookTestResult;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        redirect: 'manual',
      });
      const answer = (await res.text()).slice(0, ANSWER_CHARS);
      const verdict = accepted(hook, res.status, answer);
      result = { ok: verdict.ok, status: res.status, answer, ...(verdict.error ? { error: verdict.error } : {}) };
    } catch (e) {
      result = { ok: false, status: null, answer: '', error: (e as Error).message.slice(0, 200) };
    }
    await this.audit.record(by.username, 'webhook.test', { user, hook: index, kind: hook.kind, host: new URL(hook.url).host, ok: result.ok, status: result.status });
    return result;
  }
}
