// Injected into the wall page before its scripts (Playwright addInitScript). The client
// exposes no update timing of its own (window.__wall has seq/rev/state/lastUpdate only), so
// this times each delta from the outside: from the WebSocket message event (registered in the
// constructor, so it runs before socket.io's onmessage) to the end of that task (a
// MessageChannel task queued behind it: socket.io decoding, the store, Vue's re-render), plus
// the main-thread work of the next frame (rAF timestamp -> a task queued from the last rAF
// callback: ECharts' zrender paints there). Waiting for vsync is not counted.
(() => {
  const samples = [];
  const longTasks = [];
  const Native = window.WebSocket;
  const afterTask = (fn) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => fn();
    ch.port2.postMessage(0);
  };
  class ProbedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string' || !ev.data.startsWith('42/wall,["delta"')) return;
        const t0 = performance.now();
        // For the trace-based cost of the paced updates (bench/trace.mjs).
        performance.mark('wall-delta');
        // The trace has it now; kept in the page, a mark per update would grow the heap.
        performance.clearMarks('wall-delta');
        afterTask(() => {
          const task = performance.now() - t0;
          requestAnimationFrame((frameStart) => afterTask(() => samples.push({ task, frame: performance.now() - frameStart })));
        });
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task timing in this browser
  }
  Object.defineProperty(window, '__benchProbe', { value: { samples, longTasks }, enumerable: false });
})();
