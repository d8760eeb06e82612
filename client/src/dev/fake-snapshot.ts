// DEV ONLY (`vite dev`, open /?demo): a fake wall feed for screenshots while no server runs.
// main.ts loads it behind import.meta.env.DEV, so production builds do not contain it.
import { computed, ref, shallowRef } from 'vue';
import { DEFAULT_REFERENCE, type OverdueItem, type TickerItem, type WallSections } from '@wall/shared';
import type { LinkState } from '../lib/connection';
import { RecentIncidents } from '../lib/recent';
import { setHookSource } from '../wall/hook';
import type { WallStore } from '../wall/store';

const WEIGHTS: Record<string, number> = { lucheng: 30, ouhai: 22, longwan: 18, ruian: 24, yueqing: 20, yongjia: 14, pingyang: 10, cangnan: 12, wencheng: 3, taishun: 3, dongtou: 4 };
const CATS = ['电梯困人', '燃气泄漏', '噪声扰民', '停电', '欠薪纠纷', '道路积水', '井盖缺失', '树木倒伏', '占道经营', '供水中断'];
const CENTER_OF: Record<string, string> = { lucheng: 'lucheng', ouhai: 'ouhai', longwan: 'longwan' };

function rnd(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function build(now: number, n: number, r: () => number): WallSections {
  const districts = DEFAULT_REFERENCE.districts.map((d) => ({ id: d.id, today: Math.round((WEIGHTS[d.id] ?? 5) * (8 + n / 40) * (0.8 + r() * 0.4) / 10), open: Math.round((WEIGHTS[d.id] ?? 5) / 4 * r()), overdue: 0 }));
  const ticker: TickerItem[] = Array.from({ length: 20 }, (_, i) => {
    const d = DEFAULT_REFERENCE.districts[Math.floor(r() * 11)]!;
    return { incident: `demo-${n - i}`, t: now - i * 97_000 - Math.floor(r() * 30_000), center: CENTER_OF[d.id] ? 'city' : d.id, district: d.id, kind: (['alarm', 'help', 'complaint'] as const)[Math.floor(r() * 3)]!, category: CATS[Math.floor(r() * CATS.length)]!, summary: r() > 0.5 ? '群众来电求助' : null, location: null };
  });
  const units = DEFAULT_REFERENCE.units.filter((u) => u.center === 'city' || r() > 0.93).slice(0, 20).map((u) => ({ unit: u.id, name: u.name, orders: 20 + Math.floor(r() * 400), signRate: Math.round((82 + r() * 18) * 10) / 10, arriveRate: Math.round((80 + r() * 20) * 10) / 10 }));
  units.sort((a, b) => a.signRate + a.arriveRate - b.signRate - b.arriveRate);
  const limits = ['sign', 'arrive', 'feedback'] as const;
  const overdueItems: OverdueItem[] = Array.from({ length: 4 }, (_, i) => {
    const d = ['longwan', 'ruian', 'yongjia', 'lucheng'][i]!;
    return { order: `o-${i}`, incident: `i-${i}`, unit: i === 3 ? 'city.power' : `${d}.${['power', 'market', 'transport'][i % 3]}`, center: CENTER_OF[d] ? 'city' : d, district: d, limit: limits[i % 3]!, dueAt: now - (i + 1) * 97_000, location: null, acknowledgedBy: i === 2 ? '张督导' : null };
  });
  for (const o of overdueItems) districts.find((d) => d.id === o.district)!.overdue++;
  const hourNow = new Date(now + 8 * 3600_000).getUTCHours();
  const curve = [6, 4, 3, 2, 2, 4, 9, 15, 22, 26, 24, 21, 19, 23, 25, 24, 26, 25, 22, 19, 16, 12, 9, 8];
  const centers = DEFAULT_REFERENCE.centers.map((c) => {
    const incidents = c.id === 'city' ? 512 : Math.round(((WEIGHTS[c.id] ?? 4) * 4) * (0.9 + r() * 0.2));
    const closed = incidents - Math.floor(r() * 4);
    return { center: c.id, name: c.name, parent: c.parent, incidents, closed, closedRate: Math.round((closed * 10000) / incidents) / 100, feedbacks: incidents + Math.floor(r() * 10), unfed: Math.floor(r() * 3), overdueFeedback: Math.floor(r() * 2), returned: Math.floor(r() * 3) };
  });
  const today = districts.reduce((s, d) => s + d.today, 0);
  return {
    kpi: { today, yesterdaySameTime: Math.round(today * 0.9), month: 1027 + n, inProgress: 46, closedRate: 97.81, overdue: overdueItems.length, returnedMonth: 5 },
    hourly: { today: curve.map((v, h) => (h <= hourNow ? Math.round(v * (0.8 + r() * 0.4)) : 0)), yesterday: curve },
    districts,
    centers,
    units,
    overdue: { total: overdueItems.length, items: overdueItems },
    ticker,
  };
}

export function createDemoStore(): WallStore {
  const r = rnd(7);
  const sections = shallowRef<WallSections | null>(null);
  const seq = ref(0);
  const rev = ref(0);
  const link = ref<LinkState>(new URLSearchParams(location.search).has('down') ? 'down' : 'live');
  const lastUpdate = ref<number | null>(null);
  const now = ref(Date.now());
  const reference = shallowRef(DEFAULT_REFERENCE);
  const recent = new RecentIncidents();
  const recentList = shallowRef(recent.list());
  let n = 0;
  let t1 = 0;
  let t2 = 0;
  const push = () => {
    n++;
    const s = build(Date.now(), n, r);
    sections.value = s;
    seq.value += 37;
    rev.value++;
    lastUpdate.value = Date.now();
    recent.update(s.ticker, Date.now());
    recentList.value = [...recent.list()];
  };
  setHookSource(() => ({ seq: seq.value, rev: rev.value, state: link.value, lastUpdate: lastUpdate.value, sections: sections.value }));
  return {
    sections, seq, rev, link, lastUpdate, now, reference, recent: recentList,
    names: computed(() => ({
      center: new Map(DEFAULT_REFERENCE.centers.map((c) => [c.id, c])),
      district: new Map(DEFAULT_REFERENCE.districts.map((d) => [d.id, d.name])),
      unit: new Map(DEFAULT_REFERENCE.units.map((u) => [u.id, u.name])),
    })),
    start() {
      push();
      t1 = window.setInterval(() => (now.value = Date.now()), 1000);
      t2 = window.setInterval(push, 5000);
    },
    stop() {
      window.clearInterval(t1);
      window.clearInterval(t2);
    },
  };
}
