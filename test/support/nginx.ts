import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const NGINX_TEMPLATE = join(root, 'docker/nginx/templates/wall.conf.template');

/**
 * Renders a template as the official nginx image's entrypoint does (envsubst of the named
 * variables only, so nginx's own $variables stay), and refuses one that names a variable not given.
 */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  const out = text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) => vars[name] ?? whole);
  const left = /\$\{[A-Z_][A-Z0-9_]*\}/.exec(out);
  if (left) throw new Error(`the template needs ${left[0]}, which was not given`);
  return out;
}

export interface RunningNginx {
  url: string;
  dir: string;
  child: ChildProcess;
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Debian's nginx running the shipped template: the image's part (the main nginx.conf that
 * includes conf.d/*.conf inside `http {}`) is written here, the template is the repository's.
 */
export async function startNginx(vars: Record<string, string>, port: number): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'wall-nginx-'));
  // nginx started as root runs its workers as nobody: their scratch directories must be theirs too.
  chmodSync(dir, 0o777);
  for (const sub of ['conf.d', 'cache', 'temp']) {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
  }
  writeFileSync(join(dir, 'conf.d/wall.conf'), renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), { WALL_CACHE_DIR: join(dir, 'cache'), ...vars }));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  include ${dir}/conf.d/*.conf;
}
`,
  );
  const test = spawn('/usr/sbin/nginx', ['-t', '-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let testOut = '';
  test.stderr!.on('data', (c: Buffer) => (testOut += c.toString()));
  const ok = await new Promise<number | null>((r) => test.once('exit', r));
  if (ok !== 0) throw new Error(`nginx -t failed:\n${testOut}`);
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-e', `${dir}/error.log`, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    if (
      await fetch(`${url}/api/health/live`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    child,
    errors: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
