import { FEED_TOKEN } from '../../test/support/server.js';
import { fingerprint } from './checker.js';
import type { History } from './history.js';

// The feed sender: about 50 events/s through nginx, as a real dispatch system sends them.
// Live lifecycles whose sign-off limit (3-12 s) is met or missed; whole days of closed
// incidents from the past, shuffled (out of order); resends of whole batches; a few duplicates
// whose content conflicts; a few invalid events. A batch not acknowledged (503, no answer) is
// sent again until it is.

export const CENTERS: Array<{ center: string; supervisor: string }> = [
  { center: 'ruian', supervisor: 'sup-a' },
  { center: 'yueqing', supervisor: 'sup-a' },
  { center: 'pingyang', supervisor: 'sup-b' },
  { center: 'cangnan', supervisor: 'sup-b' },
  { center: 'wencheng', supervisor: 'sup-c' },
  { center: 'taishun', supervisor: 'sup-c' },
];
const UNIT_TYPES = ['power', 'water', 'police', 'fire', 'health'];

type Event = Record<string, unknown> & { id: string };

export class FeedSender {
  private running = true;
  private n = 0;
  private readonly sent: Event[][] = [];
  /** events due to be sent later (a sign-off), by the time to send them */
  private readonly later: Array<{ at: number; event: () => Event }> = [];
  private loop: Promise<void> | null = null;
  constructor(
    private readonly url: string,
    private readonly history: History,
    private readonly rand: (n: number) => number,
    private readonly prefix: string,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private id(kind: string): string {
    return `${this.prefix}-${kind}-${this.n++}`;
  }

  /** A live order: reported and dispatched now, signed before its limit or after it or never. */
  private lifecycle(now: number): Event[] {
    const { center } = CENTERS[this.rand(CENTERS.length)]!;
    const unit = `${center}.${UNIT_TYPES[this.rand(UNIT_TYPES.length)]}`;
    const incident = this.id('i');
    const order = this.id('o');
    const signMinutes = (3 + this.rand(10)) / 60;
    const due = now + Math.round(signMinutes * 60_000);
    const roll = this.rand(20);
    const fate = roll < 12 ? 0 : roll < 17 ? 1 : 2; // met, late, never
    if (fate === 0) {
      const at = now + 500 + this.rand(Math.max(1, due - now - 2500));
      this.later.push({ at, event: () => ({ id: this.id('s'), type: 'order.signed', at: new Date(Date.now()).toISOString(), incident, order }) });
    } else if (fate === 1) {
      const at = due + 1500 + this.rand(5000);
      this.later.push({ at, event: () => ({ id: this.id('s'), type: 'order.signed', at: new Date(Date.now()).toISOString(), incident, order }) });
    }
    return [
      { id: this.id('r'), type: 'incident.reported', at: new Date(now - 1000).toISOString(), incident, center, kind: 'alarm', category: '混沌' },
      { id: this.id('d'), type: 'order.dispatched', at: new Date(now).toISOString(), incident, order, unit, deadlines: { signMinutes, arriveMinutes: 600, feedbackMinutes: 1200 } },
    ];
  }

  /** A closed incident of a past day: every limit met, its events shuffled. */
  private pastIncident(now: number): Event[] {
    const day = now - (1 + this.rand(20)) * 86_400_000 - this.rand(3_600_000);
    const { center } = CENTERS[this.rand(CENTERS.length)]!;
    const incident = this.id('pi');
    const order = this.id('po');
    const at = (m: number) => new Date(day + m * 60_000).toISOString();
    const events: Event[] = [
      { id: this.id('pr'), type: 'incident.reported', at: at(0), incident, center, kind: 'help', category: '混沌' },
      { id: this.id('pd'), type: 'order.dispatched', at: at(1), incident, order, unit: `${center}.street` },
      { id: this.id('ps'), type: 'order.signed', at: at(3), incident, order },
      { id: this.id('pa'), type: 'order.arrived', at: at(15), incident, order },
      { id: this.id('pf'), type: 'order.feedback', at: at(40), incident, order, stage: 'result', text: '已处理' },
      { id: this.id('pc'), type: 'incident.closed', at: at(50), incident },
    ];
    for (let i = events.length - 1; i > 0; i--) {
      const j = this.rand(i + 1);
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    return events;
  }

  private async run(): Promise<void> {
    let batchNo = 0;
    while (this.running) {
      const started = Date.now();
      const now = Date.now();
      const roll = this.rand(100);
      let batch: Event[];
      let resend: string | undefined;
      if (roll < 5 && this.sent.length > 0) {
        // A whole earlier batch again (the sender's own retry after a lost answer).
        const k = this.rand(this.sent.length);
        batch = this.sent[k]!;
        resend = `b${k}`;
      } else {
        batch = [...this.lifecycle(now), ...this.lifecycle(now), ...(this.rand(3) > 0 ? this.pastIncident(now) : [])];
        while (this.later.length && this.later[0]!.at <= now) batch.push(this.later.shift()!.event());
        if (roll >= 5 && roll < 7 && this.sent.length > 0) {
          // A conflicting duplicate: an earlier id with another time.
          const old = this.sent[this.rand(this.sent.length)]!.find((e) => typeof e.at === 'string')!;
          batch.push({ ...old, at: new Date(Date.parse(old.at as string) + 60_000).toISOString() });
        }
        if (roll >= 7 && roll < 9) batch.push({ id: this.id('bad'), type: 'order.teleported', at: 'yesterday', incident: 'x' });
        this.later.sort((a, b) => a.at - b.at);
      }
      const name = resend ? `${resend}-again-${batchNo}` : `b${this.sent.length}`;
      if (!resend) this.sent.push(batch);
      batchNo++;
      await this.send(name, batch, resend);
      // Five events every 100 ms or so: about 50 a second.
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
    }
  }

  private async send(batch: string, events: Event[], resend?: string): Promise<void> {
    this.history.record({
      type: 'send',
      batch,
      events: events.map((e) => ({ id: e.id, fp: e.type === 'order.teleported' ? 'invalid' : fingerprint(e) })),
      ...(resend ? { resend } : {}),
    });
    for (;;) {
      try {
        const res = await fetch(`${this.url}/api/feed`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${FEED_TOKEN}` },
          body: JSON.stringify(events),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (res.status === 200 || res.status === 422) {
          const body = JSON.parse(text) as { accepted: number; duplicates: number; seq: number; rejected: Array<{ index: number }>; conflicts?: Array<{ index: number }> };
          this.history.record({
            type: 'ack',
            batch,
            status: res.status,
            accepted: body.accepted,
            duplicates: body.duplicates,
            seq: body.seq,
            rejected: body.rejected.map((r) => events[r.index]!.id),
            conflicts: (body.conflicts ?? []).map((c) => events[c.index]!.id),
          });
          return;
        }
        this.history.record({ type: 'unacked', batch, status: res.status });
      } catch (e) {
        this.history.record({ type: 'unacked', batch, status: 0, error: (e as Error).message });
      }
      if (!this.running) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
