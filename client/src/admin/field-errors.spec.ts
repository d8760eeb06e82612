import { NEW_USER, SCREEN_CODE_REQUEST, rosterSchema } from '@wall/shared';
import { describe, expect, it } from 'vitest';
import { serverFieldErrors, translate, zodFieldErrors } from './field-errors';

describe('the admin forms’ field errors', () => {
  it('names each field the shared schema refuses, in Chinese', () => {
    const parsed = NEW_USER.safeParse({ username: '', password: 'short', role: 'supervisor' });
    expect(parsed.success).toBe(false);
    const errors = zodFieldErrors(parsed.error!);
    expect(errors.username).toContain('格式不对');
    expect(errors.password).toBe('至少 8 个字符');
    expect(errors.role).toBeUndefined();
  });

  it('says a name too long is wrong, and a missing role is required', () => {
    const parsed = NEW_USER.safeParse({ username: 'a'.repeat(65), password: 'long-enough-1' });
    const errors = zodFieldErrors(parsed.error!);
    expect(errors.username).toContain('格式不对');
    expect(errors.role).toBe('必填');
    expect(SCREEN_CODE_REQUEST.safeParse({ name: 'wall-2' }).success).toBe(true);
  });

  it('puts the server’s `field: reason` next to the field and the rest on the form', () => {
    expect(serverFieldErrors('username: lee already exists', ['username', 'password'])).toEqual({ username: '已存在，请换一个名称' });
    expect(serverFieldErrors('password: must be at least 8 characters; an admin cannot delete themselves', ['password'])).toEqual({
      password: '至少 8 个字符',
      _form: '管理员不能删除自己',
    });
    expect(serverFieldErrors('scope.centers[0]: Too small', ['scope'])).toEqual({ scope: 'Too small' });
  });

  it('says which format a row’s field must have, at the row’s own path', () => {
    const parsed = rosterSchema.safeParse({ shifts: [{ user: 'a', level: 'supervisor', start: '08:00', end: '25:00' }] });
    expect(zodFieldErrors(parsed.error!, 3)).toEqual({ 'shifts.0.end': '时间格式应为 HH:MM' });
  });

  it('puts a row’s error next to that row’s field when the form has one', () => {
    expect(serverFieldErrors('shifts[1].end: must be HH:MM (24:00 for midnight)', ['shifts.1.end', 'shifts'])).toEqual({ 'shifts.1.end': '时间格式应为 HH:MM' });
    expect(serverFieldErrors('shifts[1].user: Too small', ['shifts'])).toEqual({ shifts: 'Too small' });
  });

  it('reads the dotted paths of the reference data (units.3.id) and their reasons', () => {
    expect(serverFieldErrors('units.3.id: duplicate id "ruian.fire"', ['units.3.id', 'units.3.name'])).toEqual({ 'units.3.id': '编号重复：已有相同编号' });
    expect(serverFieldErrors('limitOverrides.0.center: unknown center "x"', ['units.3.id'])).toEqual({ _form: '引用了不存在的编号' });
  });

  it('keeps a reason it does not know as the server gave it', () => {
    expect(translate('the store is read-only')).toBe('the store is read-only');
  });
});
