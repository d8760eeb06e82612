import bcrypt from 'bcryptjs';
import { scryptSync, timingSafeEqual } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { KEY_LENGTH, MAXMEM, type HashTask } from './password-task.js';

// A hashing thread. On Linux a thread's nice value is its own: this one yields the CPU to the
// event loop (deadline alarms, wall pushes) whenever both want it, so a login storm on a busy
// machine slows the logins, not the command center.
try {
  setPriority(10);
} catch {
  // Not permitted here: the thread still keeps hashing off the event loop.
}

parentPort!.on('message', (task: HashTask & { id: number }) => {
  try {
    if (task.op === 'derive') {
      const key = scryptSync(task.password, Buffer.from(task.salt, 'base64url'), KEY_LENGTH, { N: task.N, r: task.r, p: task.p, maxmem: MAXMEM });
      const expected = task.expected ? Buffer.from(task.expected, 'base64url') : undefined;
      const ok = expected ? key.length === expected.length && timingSafeEqual(key, expected) : true;
      parentPort!.postMessage({ id: task.id, key: key.toString('base64url'), ok });
    } else {
      parentPort!.postMessage({ id: task.id, ok: bcrypt.compareSync(task.password, task.hash) });
    }
  } catch (e) {
    parentPort!.postMessage({ id: task.id, error: (e as Error).message });
  }
});
