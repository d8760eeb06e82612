import { Worker } from 'node:worker_threads';

/**
 * Times GET `path` every `everyMs` from a worker thread until stopped, so the latency measured
 * is the server's, not that of the test's own event loop busy with the load it sends.
 */
export function startProbe(url: string, path = '/api/health', everyMs = 20): { stop(): Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    let done = false;
    const out = [];
    parentPort.on('message', () => (done = true));
    (async () => {
      while (!done) {
        const t = performance.now();
        const res = await fetch(workerData.url);
        await res.arrayBuffer();
        out.push(res.status === 200 ? performance.now() - t : Infinity);
        await new Promise((r) => setTimeout(r, workerData.everyMs));
      }
      parentPort.postMessage(out);
    })();`,
    { eval: true, workerData: { url: `${url}${path}`, everyMs } },
  );
  return {
    stop: async () => {
      const result = new Promise<number[]>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const out = await result;
      await worker.terminate();
      return out;
    },
  };
}
