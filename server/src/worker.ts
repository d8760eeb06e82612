import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { redisTargetOf, type AppConfig } from './config/config.js';
import { JobQueueRepository } from './jobs/job-queue.repository.js';
import { DeadlineService } from './deadlines/deadline.service.js';
import { HeartbeatRepository } from './health/heartbeat.repository.js';
import { AuthService } from './auth/auth.service.js';
import { runUntilStopped, type Running } from './lifecycle.js';
import { LiveStateService } from './live/live-state.service.js';
import { QuietStartLogger } from './logging/logging.js';
import { bearerMatches } from './metrics/metrics.controller.js';
import { registry } from './metrics/metrics.js';
import { describeTarget } from './redis/connection.js';
import { REDIS } from './redis/redis.tokens.js';
import { WorkerModule } from './worker.module.js';

// npm run worker: the deadline queue's worker (order deadlines, escalations) and the sweeper,
// with a health and metrics endpoint of its own on WORKER_PORT. Any number may run: BullMQ
// hands each job to one of them, alarms are created once by a Redis script, and the sweeper
// takes a short Redis lock per round.

export async function startWorker(given: AppConfig): Promise<Running & { url: string }> {
  // The worker is the deadline worker, whatever DEADLINE_WORKER the shared environment says for the API.
  const config: AppConfig = { ...given, DEADLINE_WORKER: 'on' };
  if (config.embedded) throw new Error('npm run worker needs REDIS_URL or REDIS_SENTINELS: the embedded Redis belongs to npm start');
  const target = redisTargetOf(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, target), { bufferLogs: true });
  app.useLogger(new QuietStartLogger(app.get(PinoLogger)));
  app.enableShutdownHooks([]);
  const live = app.get(LiveStateService);
  const queue = app.get(JobQueueRepository);
  const redis = app.get<Redis>(REDIS);
  await live.start();
  await app.get(DeadlineService).start();
  app.get(HeartbeatRepository).start(() => queue.workerRunning());

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, { statusCode: 405, message: 'GET only' });
    if (path === '/api/health/live') return send(200, { status: 'ok' });
    if (path === '/api/health/ready' || path === '/api/health') {
      const up = redis.status === 'ready';
      const ok = up && live.ready && queue.workerRunning();
      return send(ok ? 200 : 503, {
        status: ok ? 'ok' : 'unavailable',
        redis: up ? 'up' : 'down',
        projection: live.ready ? 'ready' : 'rebuilding',
        seq: live.seq,
        worker: queue.workerRunning() ? 'running' : 'stopped',
        node: process.version,
      });
    }
    if (path === '/metrics') {
      if (!config.METRICS_TOKEN) return send(404, { statusCode: 404, message: 'metrics are off: set METRICS_TOKEN' });
      if (!bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) return send(401, { statusCode: 401, message: 'Authorization: Bearer <METRICS_TOKEN> required' });
      void registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => send(500, { statusCode: 500, message: 'metrics failed' }),
      );
      return;
    }
    send(404, { statusCode: 404, message: 'not found' });
  });
  await new Promise<void>((done) => server.listen(config.WORKER_PORT, config.HOST, done));
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const logger = new Logger('Worker');
  logger.log(`worker ready, health at ${url}/api/health/ready (redis: ${describeTarget(target)})`);
  // The shared secrets are made by whichever process starts first, a worker included.
  const generated = app.get(AuthService).generated;
  if (generated.file) logger.log(`generated credentials written to ${generated.file} (readable by this user only)`);
  return {
    url,
    close: async () => {
      // Jobs in flight finish (BullMQ's worker.close waits for them), then the connections go.
      await app.close();
      await new Promise((done) => server.close(done));
    },
    stopStore: async () => undefined,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void runUntilStopped(startWorker);
