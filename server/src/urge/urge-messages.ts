import { urgeText, type Urge, type Webhook } from '@wall/shared';
import { dingtalkSignedUrl } from '../notify/webhook-messages.js';

/** The request of one 催办/督办 to one of the unit's webhooks: signed as a supervisor's popup is (DingTalk 加签). */
export function urgeRequest(hook: Webhook, urge: Urge, names: { unit(id: string): string }, now: number): { url: string; body: unknown } {
  const { title, text } = urgeText(urge, names, now);
  switch (hook.kind) {
    case 'dingtalk':
      return { url: hook.secret ? dingtalkSignedUrl(hook.url, hook.secret, now) : hook.url, body: { msgtype: 'markdown', markdown: { title, text } } };
    case 'wecom':
      return { url: hook.url, body: { msgtype: 'markdown', markdown: { content: text } } };
    case 'json':
      return { url: hook.url, body: { type: urge.kind, title, text, urge } };
  }
}
