import { dueAt, limitStatus, type IncidentFacts, type LimitName, type OrderFacts } from './projection.js';
import type { ReferenceData } from './reference.js';

// Pre-warning (预警): a limit still pending turns yellow once a share of its time is used up.
// Pure and read off the projection at an instant, so live walls and replay agree.

export const DEFAULT_PREWARN_SHARE = 0.8;

export type PrewarnShares = Record<LimitName, number>;

/** The shares of the reference data (an admin's, per limit kind), else 80 % each. */
export function prewarnShares(ref: Pick<ReferenceData, 'prewarnShares'>): PrewarnShares {
  const s = ref.prewarnShares ?? {};
  return { sign: s.sign ?? DEFAULT_PREWARN_SHARE, arrive: s.arrive ?? DEFAULT_PREWARN_SHARE, feedback: s.feedback ?? DEFAULT_PREWARN_SHARE };
}

/** When the order's limit turns yellow: `share` of the way from the dispatch to the due time. */
export function warnAt(order: OrderFacts, limit: LimitName, share: number): number | undefined {
  const due = dueAt(order, limit);
  const d = order.dispatch;
  if (due === undefined || !d) return undefined;
  return d.t + Math.round((due - d.t) * share);
}

/** Yellow at `now`: undecided, not yet due, and past its pre-warning instant. */
export function isPrewarned(order: OrderFacts, incident: IncidentFacts | undefined, limit: LimitName, now: number, share: number): boolean {
  if (limitStatus(order, incident, limit, now) !== 'pending') return false;
  const at = warnAt(order, limit, share);
  return at !== undefined && now >= at;
}
