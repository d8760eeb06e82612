import { Logger } from '@nestjs/common';
import { ConfigError, parseConfig, type AppConfig } from './config/config.js';

export interface Running {
  /** Stops the process's work (in-flight requests and jobs, final checkpoint), then the embedded Redis. */
  close: () => Promise<void>;
  /** Stops only the embedded Redis, if there is one: for a stop that could not finish. */
  stopStore: () => Promise<void>;
}

/**
 * Runs a process (API instance or worker) until SIGTERM/SIGINT. A stop waits for in-flight
 * requests and jobs and the final checkpoint; with Redis gone those would wait for a
 * reconnection for ever, and a service manager would have to SIGKILL us (leaving the embedded
 * Redis running). So it has a deadline, and a second signal ends it.
 */
export async function runUntilStopped(start: (config: AppConfig) => Promise<Running>): Promise<void> {
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
  const giveUp = async (why: string) => {
    logger.warn(`${why}: exiting without finishing the stop`);
    await Promise.race([running?.stopStore(), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
    process.exit(1);
  };
  const stop = async (signal: string) => {
    if (stopping) return void giveUp(`${signal} again`);
    stopping = true;
    logger.log(`${signal}: stopping`);
    setTimeout(() => void giveUp(`the stop did not finish in ${config.SHUTDOWN_TIMEOUT_MS} ms (is Redis reachable?)`), config.SHUTDOWN_TIMEOUT_MS).unref();
    await running?.close();
    logger.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    running = await start(config);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
