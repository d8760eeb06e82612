import type { WallDelta, WallSections, WallSnapshot } from '@wall/shared';

// The wall's copy of the server view: a snapshot, then deltas chained by revision. A delta
// whose prevRev is not our rev means we missed one: ask for a fresh snapshot and drop deltas
// until it comes.

export type DeltaResult =
  /** Merged into the sections. */
  | 'applied'
  /** An old or repeated revision: ignore. */
  | 'stale'
  /** A revision is missing: resync and wait for a snapshot. */
  | 'gap'
  /** No snapshot yet (or still waiting after a gap): ignore. */
  | 'waiting';

export class ViewReplica {
  seq = 0;
  rev = -1;
  /** Server time of the view (epoch ms). */
  at = 0;
  sections: WallSections | null = null;
  /** True until a snapshot arrives, and again after a gap. */
  awaitingSnapshot = true;

  applySnapshot(s: WallSnapshot): void {
    this.seq = s.seq;
    this.rev = s.rev;
    this.at = s.at;
    this.sections = s.sections;
    this.awaitingSnapshot = false;
  }

  applyDelta(d: WallDelta): DeltaResult {
    if (this.awaitingSnapshot || !this.sections) return 'waiting';
    if (d.prevRev !== this.rev) {
      if (d.rev <= this.rev) return 'stale';
      this.awaitingSnapshot = true;
      return 'gap';
    }
    // Each section in a delta replaces ours whole; unchanged sections keep their identity,
    // so views watching one section by reference only redraw when it changed.
    this.sections = { ...this.sections, ...definedSections(d.sections) };
    this.seq = d.seq;
    this.rev = d.rev;
    this.at = d.at;
    return 'applied';
  }

  /**
   * The server's heartbeat names its current revision. Deltas are volatile and one can be
   * lost (a slow link, a transport upgrade); a quiet wall would never see the gap otherwise.
   */
  checkBeat(b: { rev: number }): 'ok' | 'gap' {
    if (this.awaitingSnapshot || !this.sections || b.rev === this.rev) return 'ok';
    this.awaitingSnapshot = true;
    return 'gap';
  }

  /** After a disconnect: the next snapshot is the truth, deltas until then are ignored. */
  expectSnapshot(): void {
    this.awaitingSnapshot = true;
  }
}

function definedSections(partial: Partial<WallSections>): Partial<WallSections> {
  const out: Partial<WallSections> = {};
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
