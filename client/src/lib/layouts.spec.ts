import { describe, expect, it } from 'vitest';
import { designSize, layoutForAspect, parseLayout, parseTile, wallViewport } from './layouts';

describe('layoutForAspect', () => {
  it('picks the layout nearest the wall', () => {
    expect(layoutForAspect(1600 / 1200)).toBe('4x3');
    expect(layoutForAspect(1920 / 1080)).toBe('16x9');
    expect(layoutForAspect(1920 / 1200)).toBe('16x9');
    expect(layoutForAspect(3840 / 1080)).toBe('32x9');
    expect(layoutForAspect(7680 / 2160)).toBe('32x9');
    expect(layoutForAspect(6656 / 1792)).toBe('32x9');
    expect(layoutForAspect(5760 / 1080)).toBe('48x9');
    expect(layoutForAspect(0)).toBe('16x9');
  });
  it('sizes the canvas to the wall within the layout range', () => {
    expect(designSize('16x9', 2560 / 1080)).toEqual({ width: 1920, height: 1080 });
    expect(designSize('32x9', 3840 / 1080)).toEqual({ width: 3840, height: 1080 });
    expect(designSize('48x9', 5760 / 1080)).toEqual({ width: 5760, height: 1080 });
    expect(designSize('48x9', 10)).toEqual({ width: 6400, height: 1080 });
  });
});

describe('parseTile', () => {
  it('reads grid, tile and bezels', () => {
    expect(parseTile('?grid=4x2&tile=3,1')).toEqual({ ok: true, value: { cols: 4, rows: 2, col: 3, row: 1, bezelX: 0, bezelY: 0 } });
    expect(parseTile('?grid=3x1&tile=1,0&bezel=12,8')).toEqual({ ok: true, value: { cols: 3, rows: 1, col: 1, row: 0, bezelX: 12, bezelY: 8 } });
    expect(parseTile('?grid=3x1&tile=1,0&bezel=6')).toMatchObject({ value: { bezelX: 6, bezelY: 6 } });
    expect(parseTile('')).toEqual({ ok: true, value: null });
  });
  it('names the bad parameter', () => {
    expect(parseTile('?grid=4*2')).toMatchObject({ ok: false, error: expect.stringMatching(/^grid:/) });
    expect(parseTile('?grid=4x2&tile=4,0')).toMatchObject({ ok: false, error: expect.stringMatching(/^tile:.*4x2/) });
    expect(parseTile('?grid=4x2&tile=a')).toMatchObject({ ok: false, error: expect.stringMatching(/^tile:/) });
    expect(parseTile('?grid=4x2&tile=1,1&bezel=-1')).toMatchObject({ ok: false, error: expect.stringMatching(/^bezel:/) });
  });
});

describe('parseLayout', () => {
  it('accepts a layout or auto, and names a bad one', () => {
    expect(parseLayout('?layout=48x9')).toEqual({ ok: true, value: '48x9' });
    expect(parseLayout('?layout=auto')).toEqual({ ok: true, value: null });
    expect(parseLayout('')).toEqual({ ok: true, value: null });
    expect(parseLayout('?layout=21x9')).toMatchObject({ ok: false, error: expect.stringMatching(/^layout:/) });
  });
});

describe('wallViewport', () => {
  it('is the screen itself without a grid', () => {
    expect(wallViewport({ width: 1920, height: 1080 }, null)).toEqual({ width: 1920, height: 1080, offsetX: 0, offsetY: 0 });
  });
  it('spans every screen and bezel, this screen at its place', () => {
    const tile = { cols: 4, rows: 2, col: 3, row: 1, bezelX: 10, bezelY: 6 };
    expect(wallViewport({ width: 1920, height: 1080 }, tile)).toEqual({ width: 4 * 1920 + 30, height: 2 * 1080 + 6, offsetX: 3 * 1930, offsetY: 1086 });
  });
});
