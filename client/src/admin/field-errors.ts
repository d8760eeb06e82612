import type { z } from 'zod';

// A form's errors, each next to its field, in Chinese: from the shared zod schema before a
// request is sent, and from the server's answer (parseBody's `field: reason`, a service's
// `field: …`) after. A reason this file cannot translate is shown as the server said it.

export type FieldErrors = Record<string, string>;

/** The form field a zod path names: its first key (`scope.centers[0]` is the scope field). */
function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  return path.length ? String(path[0]) : '_form';
}

function reason(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字符`;
      if (issue.origin === 'array') return `至少选择 ${issue.minimum} 项`;
      return `不能小于 ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `不能超过 ${issue.maximum} 个字符`;
      if (issue.origin === 'array') return `最多 ${issue.maximum} 项`;
      return `不能大于 ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' ? '格式不对：只能用 1-64 个英文字母、数字或 _ . -' : `格式不对（${issue.format}）`;
    case 'invalid_type':
      return issue.input === undefined || issue.input === '' ? '必填' : '类型不对';
    case 'invalid_value':
      return issue.input === undefined || issue.input === '' ? '必填' : '不是可选的值';
    case 'unrecognized_keys':
      return `多余的字段：${issue.keys.join('、')}`;
    default:
      return translate(issue.message);
  }
}

/** The schema's verdict as field errors; an empty object when the value is valid. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    out[field] ??= reason(issue);
  }
  return out;
}

const KNOWN: ReadonlyArray<readonly [RegExp, string]> = [
  [/already exists/, '已存在，请换一个名称'],
  [/must be at least (\d+) characters/, '至少 $1 个字符'],
  [/must be 1-64 letters, digits, _ \. -/, '格式不对：只能用 1-64 个英文字母、数字或 _ . -'],
  [/is a (\w+) account, not a wall screen/, '已是其他类型的账号，不能用作大屏名称'],
  [/wrong or missing/, '不正确'],
  [/cannot demote or disable themselves/, '管理员不能降级或停用自己'],
  [/cannot delete themselves/, '管理员不能删除自己'],
  [/does not exist/, '不存在（可能已被他人删除）'],
  [/changed while/, '正被他人修改，请刷新后重试'],
  [/is required/, '必填'],
  [/unknown field/, '多余的字段'],
];

/** A server reason in Chinese where it is one this file knows. */
export function translate(message: string): string {
  for (const [pattern, zh] of KNOWN) if (pattern.test(message)) return message.replace(new RegExp(`^.*?${pattern.source}.*$`), zh);
  return message;
}

/**
 * The server's message as field errors: each `; `-separated part that starts with one of the
 * form's fields goes next to it, the rest to the form as a whole.
 */
export function serverFieldErrors(message: string, fields: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z]+)(?:[.[][^:]*)?: (.*)$/.exec(part);
    const field = m && fields.includes(m[1]!) ? m[1]! : '_form';
    const text = translate(field === '_form' ? part : m![2]!);
    out[field] = out[field] ? `${out[field]}；${text}` : text;
  }
  return out;
}
