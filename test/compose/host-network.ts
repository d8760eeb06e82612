import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// docker/compose.yml as the sandboxed test machines can run it: their podman has no bridge
// networking, only --network host. Every service, command and healthcheck stays as shipped;
// what changes is only where each listens (its own loopback port instead of its own address)
// and so where the others find it. The image is the one the test built, relative paths are
// made absolute (the rendered file lives in a temporary directory). Secrets' files come from
// the environment (METRICS_TOKEN_FILE) as in production.

export interface Ports {
  redis: number;
  api1: number;
  api2: number;
  worker: number;
  nginx: number;
}

type Service = {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  network_mode?: string;
  healthcheck?: { test: string[] };
  profiles?: string[];
};

/** The compose file as JSON (YAML read by the PyYAML that podman-compose itself runs on). */
function readCompose(file: string): { services: Record<string, Service> } & Record<string, unknown> {
  const json = execFileSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file], { encoding: 'utf8' });
  return JSON.parse(json) as { services: Record<string, Service> } & Record<string, unknown>;
}

function swapLast(args: string[] | undefined, service: string, change: (s: string) => string): string[] {
  if (!args?.length) throw new Error(`compose: ${service} has no command to adapt`);
  return [...args.slice(0, -1), change(args[args.length - 1]!)];
}

export function hostNetworkCompose(dockerDir: string, out: string, ports: Ports, image: string): string {
  const compose = readCompose(join(dockerDir, 'compose.yml'));
  const s = compose.services;
  for (const [name, service] of Object.entries(s)) {
    service.network_mode = 'host';
    delete service.ports;
    if (service.build) service.image = image;
    service.volumes = service.volumes?.map((v) => (v.startsWith('.') ? resolve(dockerDir, v.split(':')[0]!) + v.slice(v.indexOf(':')) : v));
    if (name !== 'redis' && service.environment?.REDIS_URL) service.environment.REDIS_URL = service.environment.REDIS_URL.replace('@redis:6379', `@127.0.0.1:${ports.redis}`);
  }
  const redis = s.redis!;
  redis.command = swapLast(redis.command, 'redis', (c) => `${c} --port ${ports.redis} --bind 127.0.0.1`);
  redis.healthcheck!.test = swapLast(redis.healthcheck!.test, 'redis', (c) => c.replace('redis-cli ', `redis-cli -p ${ports.redis} `));
  s['api-1']!.environment = { ...s['api-1']!.environment, PORT: String(ports.api1), HOST: '127.0.0.1' };
  s['api-2']!.environment = { ...s['api-2']!.environment, PORT: String(ports.api2), HOST: '127.0.0.1' };
  s.worker!.environment = { ...s.worker!.environment, WORKER_PORT: String(ports.worker), HEALTH_PORT: String(ports.worker), HOST: '127.0.0.1' };
  s.nginx!.environment = { ...s.nginx!.environment, WALL_LISTEN: `127.0.0.1:${ports.nginx}`, WALL_API_1: `127.0.0.1:${ports.api1}`, WALL_API_2: `127.0.0.1:${ports.api2}` };
  const file = join(out, 'compose.host.json');
  writeFileSync(file, JSON.stringify(compose, null, 2));
  return file;
}
