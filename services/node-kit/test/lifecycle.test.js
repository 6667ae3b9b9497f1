import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpApp } from '../src/http.js';
import { installShutdown } from '../src/lifecycle.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { createMongo, startInit } from '../src/mongo.js';
import { memoryLog } from './helpers.js';

const quietLogger = (log = memoryLog()) => createLogger({ service: 't', destination: log });

test('startInit retries until run() succeeds', async () => {
  let calls = 0;
  const log = memoryLog();
  const task = startInit({
    name: 'indexes',
    logger: quietLogger(log),
    retryMs: 10,
    run: async () => {
      calls += 1;
      if (calls < 3) throw new Error(`not yet ${calls}`);
    },
  });
  assert.equal(task.done, false);
  assert.equal(await task.promise, true);
  assert.equal(task.done, true);
  assert.equal(calls, 3);
  assert.equal(log.lines.filter((l) => l.msg === 'indexes failed, retrying').length, 2);
  assert.equal(log.lines.find((l) => l.msg === 'indexes failed, retrying').error.message, 'not yet 1');
});

test('startInit stops when asked', async () => {
  const task = startInit({ logger: quietLogger(), retryMs: 10000, run: async () => { throw new Error('down'); } });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(task.lastError, 'down');
  task.stop();
  assert.equal(await task.promise, false);
});

test('installShutdown: not ready, closes app, runs cleanup, exits 0 once', async () => {
  const log = memoryLog();
  const logger = quietLogger(log);
  const app = createHttpApp({ service: 't', logger, metrics: createMetrics({ defaultMetrics: false }) });
  const events = [];
  app.addHook('onClose', async () => events.push('app closed'));
  const codes = [];
  const shutdown = installShutdown({ app, logger, timeoutMs: 5000, signals: [], cleanup: async () => events.push('cleanup'), exit: (c) => codes.push(c) });
  const first = shutdown('SIGTERM');
  assert.equal(app.shopfront.state.shuttingDown, true);
  assert.equal(shutdown('SIGINT'), first, 'a second signal does not start a second shutdown');
  await first;
  assert.deepEqual(events, ['app closed', 'cleanup']);
  assert.deepEqual(codes, [0]);
  assert.ok(log.lines.some((l) => l.msg === 'stopped' && l.exitCode === 0));
});

test('installShutdown: failing cleanup exits 1; timeout exits 1', async () => {
  const logger = quietLogger();
  const app = createHttpApp({ service: 't', logger, metrics: createMetrics({ defaultMetrics: false }) });
  const codes = [];
  await installShutdown({ app, logger, timeoutMs: 5000, signals: [], cleanup: async () => { throw new Error('x'); }, exit: (c) => codes.push(c) })('SIGTERM');
  assert.deepEqual(codes, [1]);

  const app2 = createHttpApp({ service: 't', logger, metrics: createMetrics({ defaultMetrics: false }) });
  const codes2 = [];
  let release;
  const stuck = new Promise((r) => (release = r));
  const done = installShutdown({ app: app2, logger, timeoutMs: 20, signals: [], cleanup: () => stuck, exit: (c) => codes2.push(c) })('SIGTERM');
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(codes2, [1]);
  release();
  await done;
});

test('createMongo: ping fails fast without a server, close is idempotent', async () => {
  const mongo = createMongo({ uri: 'mongodb://127.0.0.1:1/x', dbName: 'x', serverSelectionTimeoutMS: 3000 });
  await assert.rejects(mongo.ping(100), /did not answer within 100 ms/);
  await mongo.close();
  await mongo.close();
  await assert.rejects(mongo.ping(100), /closed/);
});

test('logger: JSON fields and redaction', () => {
  const log = memoryLog();
  const logger = createLogger({ service: 'svc', destination: log });
  logger.info({ password: 'p', db: { uri: 'mongodb://u:p@h/db' } }, 'hello');
  const [line] = log.lines;
  assert.equal(line.service, 'svc');
  assert.equal(line.level, 'info');
  assert.equal(line.msg, 'hello');
  assert.equal(line.password, '[redacted]');
  assert.equal(line.db.uri, '[redacted]');
});
