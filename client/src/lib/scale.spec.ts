import { describe, expect, it } from 'vitest';
import { chartPixelRatio, fitScale, fitTransform } from './scale';

describe('fitScale', () => {
  it('is 1 at the design size', () => {
    expect(fitScale(1920, 1080)).toEqual({ scale: 1, x: 0, y: 0 });
  });
  it('doubles on a 4K wall', () => {
    expect(fitScale(3840, 2160)).toEqual({ scale: 2, x: 0, y: 0 });
  });
  it('letterboxes a taller screen top and bottom', () => {
    const f = fitScale(1920, 1200);
    expect(f.scale).toBe(1);
    expect(f.x).toBe(0);
    expect(f.y).toBe(60);
  });
  it('pillarboxes a wider screen left and right', () => {
    const f = fitScale(2560, 1080);
    expect(f.scale).toBe(1);
    expect(f.x).toBe(320);
    expect(f.y).toBe(0);
  });
  it('shrinks onto a small window keeping the aspect', () => {
    const f = fitScale(1280, 1024);
    expect(f.scale).toBeCloseTo(1280 / 1920);
    expect(f.x).toBe(0);
    expect(f.y).toBe(Math.floor((1024 - 720) / 2));
  });
  it('survives a zero-sized viewport', () => {
    expect(fitScale(0, 0)).toEqual({ scale: 1, x: 0, y: 0 });
  });
  it('renders a transform', () => {
    expect(fitTransform({ scale: 2, x: 0, y: 10 })).toBe('translate(0px, 10px) scale(2)');
  });
});

describe('chartPixelRatio', () => {
  it('multiplies the device ratio by the scale', () => {
    expect(chartPixelRatio(1, 1)).toBe(1);
    expect(chartPixelRatio(1, 2)).toBe(2);
    expect(chartPixelRatio(2, 1)).toBe(2);
    expect(chartPixelRatio(1.5, 2)).toBe(3);
  });
  it('rounds up to a quarter and never drops below 1', () => {
    expect(chartPixelRatio(1, 1280 / 1920)).toBe(1);
    expect(chartPixelRatio(1, 1.1)).toBe(1.25);
    expect(chartPixelRatio(1, 1.3333)).toBe(1.5);
  });
  it('caps huge ratios', () => {
    expect(chartPixelRatio(3, 3)).toBe(4);
    expect(chartPixelRatio(Number.NaN, 1)).toBe(1);
  });
});
