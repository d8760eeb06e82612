import { describe, expect, it } from 'vitest';
import { attachmentName } from './api';

describe('attachmentName', () => {
  it('prefers the UTF-8 filename* the server sends for Chinese names', () => {
    const header = `attachment; filename="bulletin-2020-08.xlsx"; filename*=UTF-8''${encodeURIComponent('2020年8月份通报.xlsx')}`;
    expect(attachmentName(header, 'x.xlsx')).toBe('2020年8月份通报.xlsx');
  });
  it('falls back to filename, then to the given name', () => {
    expect(attachmentName('attachment; filename="a.csv"', 'x.csv')).toBe('a.csv');
    expect(attachmentName("attachment; filename*=UTF-8''%E0%A4%A", 'x.csv')).toBe('x.csv');
    expect(attachmentName(null, 'x.csv')).toBe('x.csv');
  });
});
