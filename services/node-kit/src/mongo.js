// MongoDB client, a bounded ping for /ready, and a start-up task (connect, indexes, seed) retried
// until it succeeds, so the pod starts, reports not-ready, and becomes ready once MongoDB answers.
// Once connected the driver rides out outages by itself; but after a *failed* connect() every
// operation fails with MongoTopologyClosedError until connect() is called again, so connect()
// is part of the retried start-up task and ping() reconnects in that state.
import { MongoClient } from 'mongodb';
import { withTimeout } from './http.js';

export function createMongo({ uri, dbName, appName, serverSelectionTimeoutMS = 5000, clientOptions = {} }) {
  const client = new MongoClient(uri, {
    appName,
    serverSelectionTimeoutMS,
    connectTimeoutMS: 5000,
    maxPoolSize: 20,
    ...clientOptions,
  });
  const db = client.db(dbName);
  let closed = false;
  return {
    client,
    db,
    async connect() {
      if (closed) throw new Error('mongodb client is closed');
      await client.connect();
    },
    async ping(timeoutMs = 1000) {
      if (closed) throw new Error('mongodb client is closed');
      const attempt = db.command({ ping: 1 }).catch(async (err) => {
        if (err?.name !== 'MongoTopologyClosedError' || closed) throw err;
        await client.connect();
        return db.command({ ping: 1 });
      });
      await withTimeout(attempt, timeoutMs, `mongodb ping did not answer within ${timeoutMs} ms`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * startInit({name, run, logger, retryMs}): run `run()` now and again every `retryMs` until it
 * resolves. Returns {done, lastError, promise, stop()}; `promise` resolves true when done, false
 * when stopped first.
 */
export function startInit({ name = 'start-up', run, logger, retryMs = 2000 }) {
  const task = { done: false, lastError: undefined, stopped: false };
  let timer;
  let wake;
  task.promise = (async () => {
    for (let attempt = 1; !task.stopped; attempt += 1) {
      try {
        await run();
        task.done = true;
        task.lastError = undefined;
        logger.info({ attempt }, `${name} finished`);
        return true;
      } catch (err) {
        task.lastError = err?.message || String(err);
        logger.warn({ attempt, error: { type: err?.name, message: task.lastError }, retryMs }, `${name} failed, retrying`);
      }
      if (task.stopped) break;
      await new Promise((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, retryMs);
      });
    }
    return false;
  })();
  task.stop = () => {
    task.stopped = true;
    clearTimeout(timer);
    wake?.();
  };
  return task;
}
