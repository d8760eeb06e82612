import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_PREFIX } from './api-prefix.js';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { ErrorsFilter } from './common/errors.filter.js';
import { redisTargetOf, type AppConfig } from './config/config.js';
import { HeartbeatRepository } from './health/heartbeat.repository.js';
import { runUntilStopped, type Running } from './lifecycle.js';
import { QuietStartLogger } from './logging/logging.js';
import { mountQueueBoard } from './queue-board.js';
import { BoardTicketRepository } from './auth/board-ticket.repository.js';
import { describeTarget, type RedisTarget } from './redis/connection.js';
import { RedisIoAdapter } from './redis/redis-io.adapter.js';
import { JobQueueRepository } from './jobs/job-queue.repository.js';
import { Logger as PinoLogger } from 'nestjs-pino';
import { requestContextMiddleware } from './common/request-context.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-redis.js';
import { readCredentials, saveCredentials } from './config/credentials.js';
import { randomBytes } from 'node:crypto';
import { LiveStateService } from './live/live-state.service.js';
import { DeadlineService } from './deadlines/deadline.service.js';
import { startSimulator } from './simulator/simulator.js';
import { FIRST_SCREEN_CODE_TTL_MS, FIRST_SCREEN_NAME, ScreensService } from './users/screens.service.js';

const here = dirname(fileURLToPath(import.meta.url));

function mountClient(app: NestExpressApplication, dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) {
    new Logger('Client').warn(`no built client at ${dir}: run npm run build`);
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  // Client routes (/, /replay, /bulletin, ...) all load the single page.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || /^\/(api|socket\.io|metrics|admin\/queues)(\/|$)/.test(req.path)) return next();
    res.sendFile(join(dir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } });
  });
}

function jsonBody(): (req: Request, res: Response, next: NextFunction) => void {
  const parse = express.json({ limit: '256kb' });
  return (req, res, next) => {
    if (req.path === '/api/feed') return next();
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: number }).status ?? 400;
      res.status(status).json({ statusCode: status, message: `body: ${(err as Error).message}` });
    });
  };
}

/**
 * A login storm is turned away before the body is read or the request reaches Nest: while
 * every login slot is busy hashing, the rest cost the event loop next to nothing.
 */
function loginShedding(auth: AuthService): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== '/api/auth/login' || auth.loginSlotFree) return next();
    auth.noteShed();
    res.status(429).set('Retry-After', '1').json({ statusCode: 429, message: 'too many logins at once, try again in a moment' });
    req.resume();
  };
}

/** The embedded redis-server's password: generated once, kept in the credentials file. */
function embeddedRedisPassword(dataDir: string): string {
  const saved = readCredentials(dataDir).redisPassword;
  if (saved) return saved;
  const password = randomBytes(24).toString('base64url');
  saveCredentials(dataDir, { redisPassword: password });
  return password;
}

export interface RunningApi extends Running {
  url: string;
}

/**
 * The embedded store's directory: the simulator's demo keeps its own (DATA_DIR/demo), so a
 * later start with SIMULATE=off for real feeds begins on an empty store of its own.
 */
export function embeddedDataDir(config: AppConfig): string {
  return config.simulate ? join(config.DATA_DIR, 'demo') : config.DATA_DIR;
}

export async function bootstrap(config: AppConfig): Promise<RunningApi> {
  let embedded: EmbeddedRedis | undefined;
  if (config.embedded) embedded = await startEmbeddedRedis(embeddedDataDir(config), { password: embeddedRedisPassword(config.DATA_DIR) });
  try {
    return await startApp(config, redisTargetOf(config, embedded?.url), embedded);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

async function startApp(config: AppConfig, target: RedisTarget, embedded: EmbeddedRedis | undefined): Promise<RunningApi> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, target), {
    bodyParser: false,
    bufferLogs: true,
    cors: config.CORS_ORIGINS ? { origin: config.CORS_ORIGINS.split(',').map((s) => s.trim()) } : false,
  });
  app.useLogger(new QuietStartLogger(app.get(PinoLogger)));
  app.useWebSocketAdapter(new RedisIoAdapter(app, target));
  app.set('trust proxy', config.trustProxy);
  // First of all: a shed login costs no more than this check.
  app.use(loginShedding(app.get(AuthService)));
  app.use(requestContextMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'script-src': ["'self'"], 'connect-src': ["'self'", 'ws:', 'wss:'] },
      },
    }),
  );
  app.use(jsonBody());
  app.setGlobalPrefix(API_PREFIX.prefix, { exclude: [...API_PREFIX.exclude] });
  app.useGlobalFilters(new ErrorsFilter());
  mountQueueBoard(app, app.get(AuthService), app.get(BoardTicketRepository), [app.get(JobQueueRepository).queue]);
  mountClient(app, resolve(config.CLIENT_DIR ?? join(here, '../../client/dist')));
  await app.listen(config.PORT, config.HOST);

  await app.get(LiveStateService).start();
  await app.get(DeadlineService).start();
  if (config.DEADLINE_WORKER === 'on') {
    const queue = app.get(JobQueueRepository);
    app.get(HeartbeatRepository).start(() => queue.workerRunning());
  }
  const auth = app.get(AuthService);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const stopSimulator = config.simulate ? startSimulator({ url, feedToken: auth.simulatorTokenValue, speed: config.SIMULATE_SPEED, tz: config.TZ_REPORTS }) : undefined;

  const logger = new Logger('Wall');
  const where = embedded ? `embedded, data in ${resolve(embeddedDataDir(config), 'redis')}` : describeTarget(target);
  logger.log(`ready at ${url} (redis: ${where}; deadline worker ${config.DEADLINE_WORKER})`);
  // The admin password once, at the first start; the feed token never: it is in the file.
  if (auth.generated.adminPassword) logger.log(`first start: user admin, password ${auth.generated.adminPassword} (set ADMIN_PASSWORD to choose it)`);
  if (auth.generated.file) logger.log(`generated credentials written to ${auth.generated.file} (readable by this user only)`);
  else if (!config.FEED_TOKEN && auth.feedToken) logger.log(`feed token: in ${auth.credentialsFile}`);
  if (config.simulate && config.embedded && auth.generated.firstStart) {
    // A newcomer's first start ends at the wall, not at the API table: one code for one screen.
    const issued = await app.get(ScreensService).issueCode({ username: 'admin', role: 'admin' }, FIRST_SCREEN_NAME, FIRST_SCREEN_CODE_TTL_MS);
    saveCredentials(config.DATA_DIR, { screenCode: issued.code, screenCodeExpiresAt: issued.expiresAt });
    logger.log(`open ${url}/ and enter the screen code ${issued.code} (valid 24 h, once; also in ${auth.credentialsFile})`);
  }
  if (config.simulate) {
    logger.log(
      `simulated live feed is on (speed ${config.SIMULATE_SPEED}x): a demo store, its events marked simulated (模拟数据) and real feeds refused; ` +
        'SIMULATE=off for real feeds (a store of their own)',
    );
  }

  return {
    url,
    close: async () => {
      stopSimulator?.();
      await app.close();
      await embedded?.stop();
    },
    stopStore: async () => {
      await embedded?.stop();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void runUntilStopped(bootstrap);
