import { z } from 'zod';
import { CC_MAX, DOC_NUMBER, PARAGRAPH_MAX, REQUIREMENTS_MAX } from './bulletin-doc.js';

// What people type into the 通报, validated on the server before anything is stored: plain
// text only (a 公文 carries no markup, and the page and the DOCX both print it as typed).

const MARKUP = /[<>]|&[#a-z0-9]+;/i;
// Control characters other than the line breaks 工作要求 uses between its items.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

function plainText(max: number, multiline: boolean) {
  return z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !MARKUP.test(s), 'must be plain text, without markup (< > or &…;)')
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => multiline || !/[\r\n]/.test(s), 'must be one paragraph (no line breaks)');
}

function realDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** 二、各县（市、区）工作情况: one center's paragraph. */
export const centerParagraphBody = z.strictObject({ text: plainText(PARAGRAPH_MAX, false) });

/** The city office's parts; a field left out keeps what is stored. */
export const cityPartsBody = z
  .strictObject({
    requirements: plainText(REQUIREMENTS_MAX, true).optional(),
    cc: plainText(CC_MAX, false).optional(),
    issueDate: z
      .string({ error: 'must be text' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
      .refine(realDate, 'must be a real date')
      .optional(),
    docNumber: z.string({ error: 'must be text' }).regex(DOC_NUMBER, 'must be of the form 〔YYYY〕N号, e.g. 〔2020〕7号').optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'give at least one of requirements, cc, issueDate, docNumber');

export type CityPartsBody = z.infer<typeof cityPartsBody>;
