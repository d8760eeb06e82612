import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { HashAnswer, HashTask } from './password-task.js';

// Passwords are hashed with scrypt on a few threads of their own, at a lower CPU priority than
// the event loop that raises the deadline alarms and pushes the walls: a login storm slows the
// logins, never the command center. Hashes made before (bcrypt) still verify, and are replaced
// by an scrypt hash at the user's next login.

const N = 16384;
const R = 8;
const P = 1;

export interface Verdict {
  ok: boolean;
  /** The hash is of an older kind or strength: store a new one now that the password is known. */
  rehash: boolean;
}

/** A fixed pool of hashing threads; tasks beyond the pool's size wait their turn. */
export class PasswordHasher {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<{ task: HashTask; resolve: (a: HashAnswer) => void; reject: (e: Error) => void }> = [];
  private readonly pending = new Map<number, { resolve: (a: HashAnswer) => void; reject: (e: Error) => void; worker: Worker }>();
  private nextId = 1;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./password.worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (answer: HashAnswer) => {
      const job = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      this.release(worker);
      if (!job) return;
      if (answer.error) job.reject(new Error(answer.error));
      else job.resolve(answer);
    });
    worker.on('error', (e: Error) => {
      for (const [id, job] of this.pending) {
        if (job.worker !== worker) continue;
        this.pending.delete(id);
        job.reject(e);
      }
      this.all.splice(this.all.indexOf(worker), 1);
      const idle = this.idle.indexOf(worker);
      if (idle >= 0) this.idle.splice(idle, 1);
      this.spawn();
    });
    this.all.push(worker);
    this.release(worker);
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) this.send(worker, next.task, next.resolve, next.reject);
    else this.idle.push(worker);
  }

  private send(worker: Worker, task: HashTask, resolve: (a: HashAnswer) => void, reject: (e: Error) => void): void {
    const id = this.nextId++;
    this.pending.set(id, { resolve, reject, worker });
    worker.postMessage({ ...task, id });
  }

  private run(task: HashTask): Promise<HashAnswer> {
    return new Promise((resolve, reject) => {
      const worker = this.idle.pop();
      if (worker) this.send(worker, task, resolve, reject);
      else this.waiting.push({ task, resolve, reject });
    });
  }

  /** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16).toString('base64url');
    const { key } = await this.run({ op: 'derive', password, salt, N, r: R, p: P });
    return `scrypt$${N}$${R}$${P}$${salt}$${key}`;
  }

  async verify(password: string, hash: string): Promise<Verdict> {
    if (hash.startsWith('scrypt$')) {
      const [, n, r, p, salt, key] = hash.split('$');
      const { ok } = await this.run({ op: 'derive', password, salt: salt ?? '', N: Number(n), r: Number(r), p: Number(p), expected: key ?? '' });
      return { ok: !!ok, rehash: !!ok && (Number(n) !== N || Number(r) !== R || Number(p) !== P) };
    }
    if (/^\$2[aby]\$/.test(hash)) {
      const { ok } = await this.run({ op: 'bcrypt', password, hash });
      return { ok: !!ok, rehash: !!ok };
    }
    return { ok: false, rehash: false };
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
