import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { ErrorsFilter } from './common/errors.filter.js';
import { requestContextMiddleware } from './common/request-context.js';
import { ConfigError, parseConfig, type AppConfig } from './config/config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-redis.js';
import { readCredentials, saveCredentials } from './config/credentials.js';
import { randomBytes } from 'node:crypto';
import { LiveStateService } from './live/live-state.service.js';
import { DeadlineService } from './deadlines/deadline.service.js';
import { startSimulator } from './simulator/simulator.js';

const here = dirname(fileURLToPath(import.meta.url));

function mountClient(app: NestExpressApplication, dir: string): void {
  if (!existsSync(join(dir, 'index.html'))) {
    new Logger('Client').warn(`no built client at ${dir}: run npm run build`);
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  // Client routes (/, /replay, /bulletin, ...) all load the single page.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
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

export interface Running {
  url: string;
  /** Stops the app (final checkpoint, workers, sockets), then the embedded Redis. */
  close: () => Promise<void>;
  /** Stops only the embedded Redis, if there is one: for a stop that could not finish. */
  stopStore: () => Promise<void>;
}

/**
 * The embedded store's directory: the simulator's demo keeps its own (DATA_DIR/demo), so a
 * later start with SIMULATE=off for real feeds begins on an empty store of its own.
 */
export function embeddedDataDir(config: AppConfig): string {
  return config.simulate ? join(config.DATA_DIR, 'demo') : config.DATA_DIR;
}

export async function bootstrap(config: AppConfig): Promise<Running> {
  let embedded: EmbeddedRedis | undefined;
  if (config.embedded) embedded = await startEmbeddedRedis(embeddedDataDir(config), { password: embeddedRedisPassword(config.DATA_DIR) });
  try {
    return await startApp(config, config.REDIS_URL ?? embedded!.url, embedded);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

async function startApp(config: AppConfig, redisUrl: string, embedded: EmbeddedRedis | undefined): Promise<Running> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, redisUrl), {
    bodyParser: false,
    logger: ['log', 'warn', 'error'],
    cors: config.CORS_ORIGINS ? { origin: config.CORS_ORIGINS.split(',').map((s) => s.trim()) } : false,
  });
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
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ErrorsFilter());
  mountClient(app, resolve(config.CLIENT_DIR ?? join(here, '../../client/dist')));
  await app.listen(config.PORT, config.HOST);

  await app.get(LiveStateService).start();
  await app.get(DeadlineService).start();
  const auth = app.get(AuthService);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const stopSimulator = config.simulate ? startSimulator({ url, feedToken: auth.simulatorTokenValue, speed: config.SIMULATE_SPEED, tz: config.TZ_REPORTS }) : undefined;

  const logger = new Logger('Wall');
  logger.log(`ready at ${url} (redis: ${embedded ? `embedded, data in ${resolve(embeddedDataDir(config), 'redis')}` : 'REDIS_URL'})`);
  // The admin password once, at the first start; the feed token never: it is in the file.
  if (auth.generated.adminPassword) logger.log(`first start: user admin, password ${auth.generated.adminPassword} (set ADMIN_PASSWORD to choose it)`);
  if (auth.generated.file) logger.log(`generated credentials written to ${auth.generated.file} (readable by this user only)`);
  else if (!config.FEED_TOKEN && auth.feedToken) logger.log(`feed token: in ${auth.credentialsFile}`);
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

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(2);
  }
  let running: Running | undefined;
  let stopping = false;
  const logger = new Logger('Wall');
  // A stop waits for the final checkpoint, the workers and the sockets; with Redis gone those
  // would wait for a reconnection for ever, and a service manager would have to SIGKILL us
  // (leaving the embedded Redis running). So it has a deadline, and a second signal ends it.
  const giveUp = async (why: string) => {
    logger.warn(`${why}: exiting without finishing the stop`);
    await Promise.race([running?.stopStore(), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
    process.exit(1);
  };
  const stop = async (signal: string) => {
    if (stopping) return void giveUp(`${signal} again`);
    stopping = true;
    logger.log(`${signal}: stopping`);
    setTimeout(() => void giveUp(`the stop did not finish in ${config.SHUTDOWN_TIMEOUT_MS} ms (is Redis reachable?)`), config.SHUTDOWN_TIMEOUT_MS);
    await running?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    running = await bootstrap(config);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
