import { describe, expect, it } from 'vitest';
import type { OverdueItem } from '@wall/shared';
import { OverdueWatch } from './overdue-watch';

const item = (order: string, limit: OverdueItem['limit'] = 'sign') => ({ order, limit }) as OverdueItem;

describe('OverdueWatch', () => {
  it('takes the first list as the baseline and alarms on a new order or limit only', () => {
    const w = new OverdueWatch();
    expect(w.update(null)).toBe(false);
    expect(w.update([item('a')])).toBe(false);
    expect(w.update([item('a')])).toBe(false);
    expect(w.update([item('a'), item('b')])).toBe(true);
    expect(w.update([item('b')])).toBe(false); // one resolved
    expect(w.update([item('b'), item('b', 'arrive')])).toBe(true);
  });
});
