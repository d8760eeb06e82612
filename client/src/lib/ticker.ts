import type { TickerItem } from '@wall/shared';

/** How long a ticker row stays marked as new. */
export const FRESH_MS = 60_000;

/**
 * How many rows at the top of the ticker (newest first) were reported within FRESH_MS of
 * `now`. A report stamped in the future (a feed clock ahead of ours) counts as new.
 */
export function freshCount(items: readonly TickerItem[], now: number): number {
  let n = 0;
  while (n < items.length && now - items[n]!.t < FRESH_MS) n++;
  return n;
}
