import type { z } from 'zod';

// A form's errors, each next to its field, in Chinese: from the shared zod schema before a
// request is sent, and from the server's answer (parseBody's `field: reason`, a service's
// `field: …`) after. A reason this file cannot translate is shown as the server said it.

export type FieldErrors = Record<string, string>;

/**
 * The form field a zod path names: its first `depth` keys joined by dots (`scope.centers[0]` is
 * the scope field at depth 1; `shifts[2].end` is `shifts.2.end` at depth 3, one row's field).
 */
function fieldOf(path: ReadonlyArray<PropertyKey>, depth = 1): string {
  return path.length ? path.slice(0, depth).map(String).join('.') : '_form';
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
    case 'invalid_format': {
      // The schema's own message says which format (a name, a clock time, a URL) where this file knows it.
      const known = translate(issue.message);
      return known !== issue.message ? known : '格式不对';
    }
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
export function zodFieldErrors(error: z.ZodError, depth = 1): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.path, depth);
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
  [/must be HH:MM/, '时间格式应为 HH:MM'],
  [/must be an http:\/\/ or https:\/\/ URL/, '必须是 http:// 或 https:// 开头的网址'],
  [/must be one of the ladder's levels/, '必须是升级阶梯中的级别'],
  [/is not a center/, '不是已登记的中心'],
  [/is not a unit/, '不是已登记的单位'],
  [/belongs to \w+, not/, '不属于所选中心'],
  [/duplicate id/, '编号重复：已有相同编号'],
  [/must not be empty/, '不能为空'],
  [/must be <center>\.<type>/, '格式应为 中心编号.类型编号'],
  [/must be positive/, '必须大于 0'],
  [/must be at most 7 days/, '不能超过 7 天'],
  [/must be more than 0/, '必须大于 0'],
  [/must be less than 1/, '必须小于 1'],
  [/must be a number of points/, '必须是分值'],
  [/must be a phone number/, '电话号码格式不对'],
  [/unknown (center|unit type|unit|district)/, '引用了不存在的编号'],
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
    const m = /^([A-Za-z]+)((?:\[\d+\]|\.[A-Za-z0-9]+)*): (.*)$/.exec(part);
    // The longest of the form's fields the path starts with: `shifts[0].end` is `shifts.0.end` where the form has it.
    const keys = m ? [m[1]!, ...[...m[2]!.matchAll(/\[(\d+)\]|\.([A-Za-z0-9]+)/g)].map((k) => k[1] ?? k[2]!)] : [];
    let field = '_form';
    for (let n = keys.length; n > 0; n--) {
      if (fields.includes(keys.slice(0, n).join('.'))) {
        field = keys.slice(0, n).join('.');
        break;
      }
    }
    const text = translate(field === '_form' ? part : m![3]!);
    out[field] = out[field] ? `${out[field]}；${text}` : text;
  }
  return out;
}
