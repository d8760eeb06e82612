// @ts-check
// The human side of results.json: one row per figure with its baseline, and in full mode
// whether issue 7's (and issue 15's history) goal is met, at issue 32's levels where it raised them. A goal whose figure is null is "not measured", never "met".

/** @type {Array<{ measure: string, key: string, label: string, goal?: (v: number) => boolean, goalText?: string }>} */
const ROWS = [
  { measure: 'ingest', key: 'events', label: 'events posted' },
  { measure: 'ingest', key: 'eventsPerSec', label: 'feed -> applied, events/s' },
  { measure: 'ingest', key: 'rawXaddPerSec', label: 'raw pipelined XADD, events/s' },
  { measure: 'ingest', key: 'ratio', label: 'ratio', goal: (v) => v >= 0.5, goalText: '>= 0.5' },
  { measure: 'ingest', key: 'serverCpuUsPerEvent', label: '  server CPU per event (parse, validate, append, apply), us' },
  { measure: 'ingest', key: 'scriptUsPerEvent', label: '  Redis append script per event, us' },
  { measure: 'ingest', key: 'redisCommandsPerEvent', label: '  Redis commands per event (in scripts too)' },
  { measure: 'rebuild', key: 'events', label: 'events rebuilt' },
  { measure: 'rebuild', key: 'ms', label: 'projection rebuild, ms' },
  { measure: 'rebuild', key: 'rawReadMs', label: 'raw XRANGE read, ms' },
  { measure: 'rebuild', key: 'ratio', label: 'ratio', goal: (v) => v <= 2, goalText: '<= 2' },
  { measure: 'rebuild', key: 'coldStartMs', label: 'process start -> healthy, ms' },
  { measure: 'latency', key: 'clients', label: 'socket.io clients' },
  { measure: 'latency', key: 'eventsPerSec', label: 'events/s posted' },
  { measure: 'latency', key: 'p50Ms', label: 'POST -> client delta p50, ms' },
  { measure: 'latency', key: 'p99Ms', label: 'POST -> client delta p99, ms', goal: (v) => v <= 300, goalText: '<= 300' },
  { measure: 'latency', key: 'rawEmitP99Ms', label: 'bare socket.io emit p99, ms' },
  { measure: 'deadlines', key: 'lateP99Ms', label: 'alarm lateness p99, ms', goal: (v) => v <= 100, goalText: '<= 100' },
  { measure: 'deadlines', key: 'redisBytesPerPending', label: 'Redis bytes / pending limit', goal: (v) => v <= 600, goalText: '<= 600' },
  { measure: 'deadlines', key: 'rawAddPerSec', label: 'raw BullMQ addBulk, jobs/s' },
  { measure: 'deadlines', key: 'rawBytesPerDelayedJob', label: 'raw Redis bytes / delayed job' },
  { measure: 'loginStorm', key: 'healthMaxMs', label: 'GET /api/health during a 200-login storm, max ms', goal: (v) => v < 200, goalText: '< 200' },
  { measure: 'loginStorm', key: 'healthP99Ms', label: '  its p99, ms (baseline: loginStorm.baseline)' },
  { measure: 'loginStorm', key: 'healthRatio', label: '  p99 storm / quiet' },
  { measure: 'loginStorm', key: 'lateP99Ms', label: 'alarm lateness p99 during the storm, ms', goal: (v) => v <= 250, goalText: '<= 250' },
  { measure: 'seek', key: 'p99Ms', label: 'replay seek p99, ms', goal: (v) => v <= 300, goalText: '<= 300' },
  { measure: 'seekBaseline', key: 'p99Ms', label: 'from-scratch projection to T p99, ms' },
  { measure: 'wall', key: 'events', label: 'events fed to the page' },
  { measure: 'wall', key: 'heapStartMB', label: 'JS heap after GC, start, MB' },
  { measure: 'wall', key: 'heapEndMB', label: 'JS heap after GC, end, MB' },
  { measure: 'wall', key: 'growthPct', label: 'heap growth, %', goal: (v) => v <= 5, goalText: '<= 5' },
  { measure: 'wall', key: 'codeEndMB', label: '  of it V8 compiled code at the end, MB' },
  { measure: 'wall', key: 'objectsGrowthPct', label: 'heap growth without compiled code, %' },
  { measure: 'wall', key: 'updateP95Ms', label: 'apply one update (received -> drawn) p95, main-thread CPU ms', goal: (v) => v <= 12, goalText: '<= 12' },
  { measure: 'wall', key: 'updateP50Ms', label: 'apply one update p50, CPU ms' },
  { measure: 'wall', key: 'updateApplyWallP95Ms', label: '  the same tasks in wall time (server on the same cores) p95, ms' },
  { measure: 'wall', key: 'receiveTaskP95Ms', label: '  of it the receiving task (store, Vue patch) p95, ms' },
  { measure: 'wall', key: 'updateShownP95Ms', label: 'received -> on screen p95, wall-clock ms' },
  { measure: 'wall', key: 'updateCostP95Ms', label: 'all work in the second after an update p95, ms' },
  { measure: 'wall', key: 'updateLongestTaskP95Ms', label: '  its longest task (a frame the wall cannot draw) p95, ms' },
  { measure: 'wall', key: 'updateUnderLoadP95Ms', label: 'one update p95 while the server ingests, ms' },
  { measure: 'wall', key: 'pacedBusyMsPerSec', label: 'wall under the paced updates: main thread busy, ms per s' },
  { measure: 'wall', key: 'idleBusyMsPerSec', label: 'idle wall: main thread busy, ms per s' },
  { measure: 'history', key: 'months', label: 'months loaded (1 vs this many)' },
  { measure: 'history', key: 'eventsTotal', label: 'events stored at the end' },
  { measure: 'history', key: 'ingestPerSecLast', label: 'ingest of the last month, events/s' },
  { measure: 'history', key: 'ingestRatio', label: '  / month 1', goal: (v) => v >= 0.9, goalText: '>= 0.9' },
  { measure: 'history', key: 'rssEmptyMB', label: 'server RSS holding nothing, MB' },
  { measure: 'history', key: 'rssMB1', label: 'server RSS after month 1 fed live, MB', goal: (v) => v <= 150, goalText: '<= 150' },
  { measure: 'history', key: 'rssRestartedMB1', label: '  the same store after a restart, MB' },
  { measure: 'history', key: 'rssBytesPerEvent1', label: '  RSS above the empty server per event fed, bytes' },
  { measure: 'history', key: 'rssMBLast', label: 'server RSS at the end, MB' },
  { measure: 'history', key: 'rssRatio', label: '  / after month 1', goal: (v) => v <= 1.15, goalText: '<= 1.15' },
  { measure: 'history', key: 'eventsDayMsLast', label: 'GET /api/events of one day at the end, ms', goal: (v) => v <= 50, goalText: '<= 50' },
  { measure: 'history', key: 'eventsDayRatio', label: '  / after month 1', goal: (v) => v <= 1.2, goalText: '<= 1.2' },
  { measure: 'history', key: 'restartMsLast', label: 'restart -> healthy at the end, ms' },
  { measure: 'history', key: 'restartRatio', label: '  / after month 1', goal: (v) => v <= 1.2, goalText: '<= 1.2' },
  { measure: 'history', key: 'reportMs', label: 'GET /api/reports/monthly, slowest month, ms', goal: (v) => v <= 50, goalText: '<= 50' },
  { measure: 'history', key: 'seekP99Ms', label: 'replay seek p99, slowest month, ms', goal: (v) => v <= 300, goalText: '<= 300' },
  { measure: 'history', key: 'redisBytesPerEvent', label: 'Redis bytes / stored event (by key group: history.redisBreakdown)' },
];

/**
 * Prints the table; returns how many measured goals were missed.
 * @param {Record<string, any>} results @param {boolean} judge
 */
export function printTable(results, judge) {
  let missed = 0;
  /** @type {string[][]} */
  const lines = [];
  for (const row of ROWS) {
    const value = results[row.measure]?.[row.key] ?? null;
    let verdict = '';
    if (judge && row.goal) {
      if (value === null) verdict = `goal ${row.goalText}: not measured`;
      else if (row.goal(value)) verdict = `goal ${row.goalText}: met`;
      else {
        verdict = `goal ${row.goalText}: MISSED`;
        missed++;
      }
    }
    lines.push([row.measure, row.label, value === null ? 'null' : String(value), verdict]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...lines.map((l) => l[i].length)));
  console.log(`\nbench (${results.mode}) on ${results.machine.cpus} cpus, node ${results.machine.node}, redis ${results.machine.redis}\n`);
  for (const l of lines) console.log(`${l[0].padEnd(widths[0])}  ${l[1].padEnd(widths[1])}  ${l[2].padStart(widths[2])}  ${l[3]}`.trimEnd());
  const reasons = Object.entries(results.reasons ?? {});
  if (reasons.length) {
    console.log('\nnot measured / why:');
    for (const [k, v] of reasons) console.log(`  ${k}: ${v}`);
  }
  return missed;
}
