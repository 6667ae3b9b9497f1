import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpApp, templateToRegExp, withTimeout } from '../src/http.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { httpError } from '../src/errors.js';
import { memoryLog } from './helpers.js';

function makeApp({ ready } = {}) {
  const log = memoryLog();
  const logger = createLogger({ service: 'kit-test', level: 'debug', destination: log });
  const app = createHttpApp({ service: 'kit-test', logger, ready, readyTimeoutMs: 200, metrics: createMetrics({ defaultMetrics: false }) });
  app.get('/api/things/:id', async (req) => {
    if (req.params.id === 'missing') throw httpError(404, 'thing missing not found');
    if (req.params.id === 'boom') throw new Error('internal detail');
    if (req.params.id === 'db') throw Object.assign(new Error('no server'), { name: 'MongoServerSelectionError' });
    return { id: req.params.id };
  });
  app.put(
    '/api/things/:id',
    { schema: { body: { type: 'object', required: ['n'], additionalProperties: false, properties: { n: { type: 'integer', minimum: 1 } } } } },
    async (req) => ({ n: req.body.n }),
  );
  return { app, log };
}

test('templateToRegExp and withTimeout', async () => {
  const re = templateToRegExp('/api/cart/:id/items/:productId');
  assert.ok(re.test('/api/cart/1/items/p'));
  assert.ok(re.test('/api/cart/1/items/p/'));
  assert.ok(!re.test('/api/cart/1/items'));
  assert.ok(templateToRegExp('/files/*').test('/files/a/b'));
  assert.ok(!templateToRegExp('/a.b').test('/axb'));
  assert.equal(await withTimeout(Promise.resolve(1), 50, 'x'), 1);
  await assert.rejects(withTimeout(new Promise(() => {}), 20, 'too slow'), /too slow/);
  await assert.rejects(withTimeout(Promise.reject(new Error('inner')), 50, 'x'), /inner/);
});

test('/health, /ready ok, /ready failing and timing out, /ready while shutting down', async () => {
  let mode = 'ok';
  const { app } = makeApp({
    ready: async () => {
      if (mode === 'fail') throw new Error('mongodb ping failed');
      if (mode === 'hang') await new Promise(() => {});
    },
  });
  assert.deepEqual((await app.inject('/health')).json(), { status: 'ok' });
  let r = await app.inject('/ready');
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { status: 'ready' });
  mode = 'fail';
  r = await app.inject('/ready');
  assert.equal(r.statusCode, 503);
  assert.deepEqual(r.json(), { status: 'unavailable', reason: 'mongodb ping failed' });
  mode = 'hang';
  r = await app.inject('/ready');
  assert.equal(r.statusCode, 503);
  assert.match(r.json().reason, /timed out after 200 ms/);
  mode = 'ok';
  app.shopfront.state.shuttingDown = true;
  r = await app.inject('/ready');
  assert.deepEqual([r.statusCode, r.json().reason], [503, 'shutting down']);
  assert.equal((await app.inject('/health')).statusCode, 200);
});

test('request id: echoed when valid, generated otherwise, on every log line of the request', async () => {
  const { app, log } = makeApp();
  let r = await app.inject({ url: '/api/things/1', headers: { 'x-request-id': 'req-42.a_b' } });
  assert.equal(r.headers['x-request-id'], 'req-42.a_b');
  const line = log.lines.find((l) => l.msg === 'request completed' && l.requestId === 'req-42.a_b');
  assert.ok(line, JSON.stringify(log.lines));
  assert.deepEqual(
    { service: line.service, level: line.level, method: line.method, route: line.route, status: line.status },
    { service: 'kit-test', level: 'info', method: 'GET', route: '/api/things/:id', status: 200 },
  );
  assert.equal(typeof line.durationMs, 'number');
  assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
  r = await app.inject({ url: '/api/things/1', headers: { 'x-request-id': 'bad id!' } });
  assert.match(r.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  r = await app.inject({ url: '/api/things/boom', headers: { 'x-request-id': 'err-1' } });
  const errLines = log.lines.filter((l) => l.requestId === 'err-1');
  assert.equal(errLines.length, 2);
  assert.ok(errLines.some((l) => l.msg === 'request failed' && l.level === 'error'));
});

test('errors: 404 from handler, 500 without internals, 503 for database, 400 for bad input', async () => {
  const { app } = makeApp();
  let r = await app.inject('/api/things/missing');
  assert.deepEqual([r.statusCode, r.json()], [404, { message: 'thing missing not found' }]);
  r = await app.inject('/api/things/boom');
  assert.deepEqual([r.statusCode, r.json()], [500, { message: 'internal server error' }]);
  r = await app.inject('/api/things/db');
  assert.equal(r.statusCode, 503);
  r = await app.inject({ method: 'PUT', url: '/api/things/1', headers: { 'content-type': 'application/json' }, payload: '{"n": ' });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /not valid JSON/);
  r = await app.inject({ method: 'PUT', url: '/api/things/1', headers: { 'content-type': 'application/json' }, payload: '' });
  assert.equal(r.statusCode, 400);
  r = await app.inject({ method: 'PUT', url: '/api/things/1', payload: { n: 0, extra: true } });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(r.json().details.map((d) => d.field).sort(), ['extra', 'n']);
  r = await app.inject({ method: 'PUT', url: '/api/things/1', payload: { n: '3' } });
  assert.equal(r.statusCode, 400, 'no type coercion');
  r = await app.inject({ method: 'PUT', url: '/api/things/1', headers: { 'content-type': 'application/x-unknown' }, payload: 'x' });
  assert.equal(r.statusCode, 415);
  r = await app.inject({ method: 'PUT', url: '/api/things/1', payload: { n: 3 } });
  assert.deepEqual([r.statusCode, r.json()], [200, { n: 3 }]);
});

test('unknown route 404 JSON, wrong method 405 with Allow', async () => {
  const { app } = makeApp();
  let r = await app.inject('/nope?x=1');
  assert.deepEqual([r.statusCode, r.json()], [404, { message: 'no route for GET /nope' }]);
  assert.match(r.headers['content-type'], /application\/json/);
  r = await app.inject({ method: 'DELETE', url: '/api/things/1' });
  assert.equal(r.statusCode, 405);
  assert.equal(r.headers.allow, 'GET, HEAD, PUT');
  r = await app.inject({ method: 'POST', url: '/health' });
  assert.equal(r.statusCode, 405);
});

test('metrics: counters and histogram by route template, unmatched for unknown paths', async () => {
  const { app } = makeApp();
  await app.inject('/api/things/a');
  await app.inject('/api/things/b');
  await app.inject('/api/things/missing');
  await app.inject('/does/not/exist/123');
  await app.inject({ method: 'DELETE', url: '/api/things/a' });
  const r = await app.inject('/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(r.headers['content-type'], /text\/plain/);
  const text = r.body;
  assert.match(text, /http_requests_total\{method="GET",route="\/api\/things\/:id",status="200"\} 2/);
  assert.match(text, /http_requests_total\{method="GET",route="\/api\/things\/:id",status="404"\} 1/);
  assert.match(text, /http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
  assert.match(text, /http_requests_total\{method="DELETE",route="\/api\/things\/:id",status="405"\} 1/);
  assert.match(text, /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/things\/:id",status="200"\}/);
  assert.doesNotMatch(text, /route="\/api\/things\/a"/);
  assert.doesNotMatch(text, /does\/not\/exist/);
});

test('createMetrics with default metrics and service label', async () => {
  const m = createMetrics({ service: 'svc' });
  m.observe({ method: 'GET', route: undefined, status: 404, seconds: 0.01 });
  const text = await m.text();
  assert.match(text, /http_requests_total\{method="GET",route="unmatched",status="404",service="svc"\} 1/);
  assert.match(text, /process_cpu_user_seconds_total/);
});
