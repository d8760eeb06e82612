import { describe, expect, it } from 'vitest';
import type { WallSections } from '@wall/shared';
import { ViewReplica } from './view-replica';

function sections(today = 1): WallSections {
  return {
    kpi: { today, yesterdaySameTime: 0, month: today, inProgress: 0, closedRate: null, overdue: 0, returnedMonth: 0, simulated: 0 },
    hourly: { today: new Array(24).fill(0), yesterday: new Array(24).fill(0), week: new Array(168).fill(0) },
    districts: [],
    centers: [],
    centersTotal: { incidents: 0, closed: 0, closedRate: null, feedbacks: 0, unfed: 0, overdueFeedback: 0, returned: 0 },
    units: [],
    overdue: { total: 0, items: [] },
    ticker: [],
    duty: null,
    health: { store: 'up', since: null },
  };
}

describe('ViewReplica', () => {
  it('ignores deltas before the first snapshot', () => {
    const f = new ViewReplica();
    expect(f.applyDelta({ seq: 1, rev: 1, prevRev: 0, at: 1, sections: {} })).toBe('waiting');
    expect(f.sections).toBeNull();
  });

  it('applies a chain of deltas, replacing sections whole and keeping the others', () => {
    const f = new ViewReplica();
    const s = sections(1);
    f.applySnapshot({ seq: 10, rev: 5, at: 100, sections: s });
    const kpi = { ...s.kpi, today: 2 };
    expect(f.applyDelta({ seq: 11, rev: 6, prevRev: 5, at: 200, sections: { kpi } })).toBe('applied');
    expect(f.sections!.kpi).toBe(kpi);
    expect(f.sections!.hourly).toBe(s.hourly);
    expect([f.seq, f.rev, f.at]).toEqual([11, 6, 200]);
    const ticker = [{ incident: 'i1', t: 1, center: 'ruian', district: 'ruian', kind: 'alarm' as const, category: 'x', summary: null, location: null }];
    expect(f.applyDelta({ seq: 12, rev: 7, prevRev: 6, at: 300, sections: { ticker } })).toBe('applied');
    expect(f.sections!.ticker).toBe(ticker);
    expect(f.sections!.kpi).toBe(kpi);
  });

  it('detects a gap and waits for a snapshot', () => {
    const f = new ViewReplica();
    f.applySnapshot({ seq: 10, rev: 5, at: 100, sections: sections(1) });
    expect(f.applyDelta({ seq: 13, rev: 8, prevRev: 7, at: 300, sections: { kpi: sections(9).kpi } })).toBe('gap');
    expect(f.sections!.kpi.today).toBe(1);
    expect(f.applyDelta({ seq: 14, rev: 9, prevRev: 8, at: 400, sections: {} })).toBe('waiting');
    f.applySnapshot({ seq: 14, rev: 9, at: 400, sections: sections(9) });
    expect(f.sections!.kpi.today).toBe(9);
    expect(f.applyDelta({ seq: 15, rev: 10, prevRev: 9, at: 500, sections: {} })).toBe('applied');
    expect(f.rev).toBe(10);
  });

  it('a heartbeat with another revision means a delta was lost: wait for a snapshot', () => {
    const f = new ViewReplica();
    expect(f.checkBeat({ rev: 3 })).toBe('ok'); // nothing to compare yet
    f.applySnapshot({ seq: 10, rev: 5, at: 100, sections: sections(1) });
    expect(f.checkBeat({ rev: 5 })).toBe('ok');
    expect(f.checkBeat({ rev: 6 })).toBe('gap');
    expect(f.awaitingSnapshot).toBe(true);
    expect(f.checkBeat({ rev: 7 })).toBe('ok'); // already waiting: one resync, not one per beat
    f.applySnapshot({ seq: 12, rev: 7, at: 300, sections: sections(2) });
    expect(f.checkBeat({ rev: 7 })).toBe('ok');
  });

  it('ignores a repeated or old delta without resyncing', () => {
    const f = new ViewReplica();
    f.applySnapshot({ seq: 10, rev: 5, at: 100, sections: sections(1) });
    expect(f.applyDelta({ seq: 9, rev: 5, prevRev: 4, at: 90, sections: { kpi: sections(0).kpi } })).toBe('stale');
    expect(f.sections!.kpi.today).toBe(1);
    expect(f.rev).toBe(5);
  });

  it('accepts a snapshot of a restarted server with a lower revision', () => {
    const f = new ViewReplica();
    f.applySnapshot({ seq: 10, rev: 500, at: 100, sections: sections(1) });
    f.expectSnapshot();
    expect(f.applyDelta({ seq: 11, rev: 501, prevRev: 500, at: 200, sections: {} })).toBe('waiting');
    f.applySnapshot({ seq: 10, rev: 1, at: 300, sections: sections(3) });
    expect(f.applyDelta({ seq: 12, rev: 2, prevRev: 1, at: 400, sections: {} })).toBe('applied');
    expect(f.sections!.kpi.today).toBe(3);
  });
});
