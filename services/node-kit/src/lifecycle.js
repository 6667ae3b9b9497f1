// Process lifecycle of an API service: read the config (exit 1 with one JSON line naming the
// variable on error), connect MongoDB, listen, run the start-up task in the background, and on
// SIGTERM/SIGINT: report not ready, stop accepting, finish in-flight requests, close MongoDB,
// exit 0 (1 when SHUTDOWN_TIMEOUT_MS passes first).
import { ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createMongo, startInit } from './mongo.js';

/**
 * installShutdown({app, logger, timeoutMs, cleanup, exit, signals}): returns shutdown(signal),
 * also bound to the signals. `cleanup` runs after the HTTP server has closed.
 */
export function installShutdown({ app, logger, timeoutMs, cleanup = async () => {}, exit = (code) => process.exit(code), signals = ['SIGTERM', 'SIGINT'] }) {
  let running;
  const shutdown = (signal) => {
    if (running) return running;
    running = (async () => {
      logger.info({ signal, timeoutMs }, 'shutting down: not ready, finishing in-flight requests');
      if (app.shopfront) app.shopfront.state.shuttingDown = true;
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown timed out, exiting');
        exit(1);
      }, timeoutMs);
      timer.unref?.();
      let code = 0;
      try {
        await app.close();
      } catch (err) {
        code = 1;
        logger.error({ err }, 'closing the HTTP server failed');
      }
      try {
        await cleanup();
      } catch (err) {
        code = 1;
        logger.error({ err }, 'cleanup failed');
      }
      clearTimeout(timer);
      logger.info({ exitCode: code }, 'stopped');
      exit(code);
    })();
    return running;
  };
  for (const signal of signals) process.on(signal, () => shutdown(signal));
  return shutdown;
}

/**
 * runService({service, readConfig, build, init, env}): the main() of an API service.
 *   readConfig(env) -> config (must include the commonConfig() fields)
 *   build({config, logger, mongo, ready}) -> Fastify app (from createHttpApp)
 *   init({config, logger, mongo}) -> Promise: indexes, seed; retried until it succeeds (initName in logs)
 */
export async function runService({ service, readConfig, build, init = async () => {}, initName = 'start-up', env = process.env }) {
  let config;
  try {
    config = readConfig(env);
  } catch (err) {
    const logger = createLogger({ service, level: 'info' });
    if (err instanceof ConfigError) {
      logger.fatal({ variable: err.variable }, `invalid configuration: ${err.message}`);
    } else {
      logger.fatal({ err }, 'invalid configuration');
    }
    process.exit(1);
  }
  const logger = createLogger({ service, level: config.logLevel });
  const mongo = createMongo({ uri: config.mongodb.uri, dbName: config.mongodb.dbName, appName: `shopfront-${service}` });
  let startup;
  const ready = async () => {
    if (!startup?.done) {
      throw new Error(startup?.lastError ? `start-up not finished: ${startup.lastError}` : 'start-up not finished');
    }
    await mongo.ping(1000);
  };
  let app;
  try {
    app = await build({ config, logger, mongo, ready });
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    await mongo.close().catch(() => {});
    process.exit(1);
  }
  const { port } = app.server.address();
  logger.info({ port, mongodb: config.mongodb.redacted, database: config.mongodb.dbName }, 'listening');
  startup = startInit({ name: initName, run: async () => {
      await mongo.connect();
      await init({ config, logger, mongo });
    },
    logger,
  });
  installShutdown({
    app,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    cleanup: async () => {
      startup.stop();
      await mongo.close();
    },
  });
  return { app, mongo, config, logger, startup };
}
