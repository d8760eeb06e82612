import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The previous release, built from its tag in a git worktree of its own, for the upgrade test.

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The release before this one, and its commit: tags need not travel to a fresh CI clone. */
export const PREVIOUS = { tag: 'v0.1.0', commit: 'c86a5a3' };

export interface Run {
  code: number | null;
  out: string;
  ms: number;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', (e) => resolve({ code: -1, out: e.message, ms: Date.now() - started }));
    child.once('exit', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

async function ok(cmd: string, args: string[], cwd: string): Promise<Run> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.out.slice(-4000)}`);
  return r;
}

/** The previous release's commit: its tag when this clone has it, else the recorded commit. */
export async function previousRevision(): Promise<{ rev: string; via: 'tag' | 'commit' }> {
  const tagged = await run('git', ['rev-parse', '--verify', '--quiet', `${PREVIOUS.tag}^{commit}`], root);
  if (tagged.code === 0) return { rev: tagged.out.trim(), via: 'tag' };
  return { rev: (await ok('git', ['rev-parse', '--verify', `${PREVIOUS.commit}^{commit}`], root)).out.trim(), via: 'commit' };
}

/** Checks out `rev` in a worktree at `dir` and builds its server the way its README does (npm ci, build), on this Node. */
export async function buildRelease(rev: string, dir: string): Promise<{ ms: { ci: number; build: number }; out: string }> {
  await ok('git', ['worktree', 'add', '--detach', dir, rev], root);
  const ci = await ok('npm', ['ci', '--no-audit', '--no-fund'], dir);
  // shared first: the server is compiled against its dist.
  const shared = await ok('npm', ['run', 'build', '-w', 'shared'], dir);
  const server = await ok('npm', ['run', 'build', '-w', 'server'], dir);
  return { ms: { ci: ci.ms, build: shared.ms + server.ms }, out: ci.out + shared.out + server.out };
}

export async function removeRelease(dir: string): Promise<void> {
  await run('git', ['worktree', 'remove', '--force', dir], root);
  await run('git', ['worktree', 'prune'], root);
}
