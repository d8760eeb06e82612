import type { OverdueItem } from '@wall/shared';

/**
 * Tells a new overdue order (an alarm) from the list the wall already had: the first list is
 * the baseline, later ones alarm when they hold an order/limit not seen in the list before.
 */
export class OverdueWatch {
  private known: Set<string> | null = null;

  update(items: readonly OverdueItem[] | null | undefined): boolean {
    if (!items) return false;
    const next = new Set(items.map((i) => `${i.order}/${i.limit}`));
    const before = this.known;
    this.known = next;
    if (!before) return false;
    for (const k of next) if (!before.has(k)) return true;
    return false;
  }
}
