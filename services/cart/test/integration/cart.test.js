// The real service (src/server.js in a child process) and the store against a real SecantusDB.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { metricValue, ownSecantusSkipReason, slowRequest, spawnService, startSecantus, startServiceProcess, waitReady } from '@shopfront/node-kit/testing';
import { MAX_LINES } from '../../src/schemas.js';
import { TTL_SECONDS, createCarts } from '../../src/carts.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const json = (method, body) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('cart against SecantusDB', () => {
  let db;
  let svc;
  let client;
  let carts;

  before(async () => {
    db = await startSecantus();
    svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('carts') });
    await waitReady(svc.url);
    client = new MongoClient(db.uri('carts'), { serverSelectionTimeoutMS: 5000 });
    carts = client.db().collection('carts');
  });

  after(async () => {
    await client?.close();
    await svc?.stop('SIGKILL');
    await db?.kill();
  });

  test('start-up creates the unique index on id and the 7-day TTL index on updatedAt', async () => {
    const indexes = await carts.indexes();
    const id = indexes.find((i) => JSON.stringify(i.key) === '{"id":1}');
    const ttl = indexes.find((i) => JSON.stringify(i.key) === '{"updatedAt":1}');
    assert.equal(id?.unique, true, JSON.stringify(indexes));
    assert.equal(ttl?.expireAfterSeconds, 7 * 24 * 3600);
    assert.equal(TTL_SECONDS, 604800);
    await carts.insertOne({ id: 'dup-test' });
    await assert.rejects(carts.insertOne({ id: 'dup-test' }), (err) => err.code === 11000);
    await carts.deleteOne({ id: 'dup-test' });
  });

  test('CRUD round trip over HTTP, stored as {id, items, createdAt, updatedAt}', async () => {
    let r = await fetch(`${svc.url}/api/cart`, { method: 'POST' });
    assert.equal(r.status, 201);
    const cart = await r.json();
    assert.match(cart.id, UUID);
    assert.deepEqual(cart.items, []);
    const stored = await carts.findOne({ id: cart.id });
    assert.ok(stored.createdAt instanceof Date && stored.updatedAt instanceof Date);

    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-mug`, json('PUT', { quantity: 2 }));
    assert.deepEqual([r.status, await r.json()], [200, { id: cart.id, items: [{ productId: 'p-mug', quantity: 2 }] }]);
    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-espresso`, json('PUT', { quantity: 1 }));
    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-mug`, json('PUT', { quantity: 5 }));
    assert.deepEqual((await r.json()).items, [{ productId: 'p-mug', quantity: 5 }, { productId: 'p-espresso', quantity: 1 }]);
    const changed = await carts.findOne({ id: cart.id });
    assert.ok(changed.updatedAt > stored.updatedAt, 'every change moves updatedAt (the TTL clock)');

    r = await fetch(`${svc.url}/api/cart/${cart.id}`);
    assert.deepEqual(await r.json(), { id: cart.id, items: [{ productId: 'p-mug', quantity: 5 }, { productId: 'p-espresso', quantity: 1 }] });
    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-mug`, { method: 'DELETE' });
    assert.deepEqual([r.status, (await r.json()).items], [200, [{ productId: 'p-espresso', quantity: 1 }]]);
    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-not-there`, { method: 'DELETE' });
    assert.deepEqual([r.status, (await r.json()).items], [200, [{ productId: 'p-espresso', quantity: 1 }]]);
    r = await fetch(`${svc.url}/api/cart/${cart.id}`, { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal(await carts.findOne({ id: cart.id }), null);
    r = await fetch(`${svc.url}/api/cart/${cart.id}`);
    assert.equal(r.status, 404);
    r = await fetch(`${svc.url}/api/cart/${cart.id}`, { method: 'DELETE' });
    assert.equal(r.status, 404);
    r = await fetch(`${svc.url}/api/cart/${cart.id}/items/p-mug`, json('PUT', { quantity: 1 }));
    assert.equal(r.status, 404);
  });

  test('bad input over HTTP: 400 with a message, never 500', async () => {
    const { id } = await (await fetch(`${svc.url}/api/cart`, { method: 'POST' })).json();
    let r = await fetch(`${svc.url}/api/cart/${id}/items/p-mug`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"quantity":' });
    assert.equal(r.status, 400);
    assert.match((await r.json()).message, /not valid JSON/);
    r = await fetch(`${svc.url}/api/cart/${id}/items/p-mug`, json('PUT', { quantity: 100 }));
    assert.equal(r.status, 400);
    assert.match((await r.json()).message, /quantity must be <= 99/);
    r = await fetch(`${svc.url}/api/cart/nope`);
    assert.equal(r.status, 400);
    r = await fetch(`${svc.url}/api/cart/${id}`, { method: 'PATCH' });
    assert.equal(r.status, 405);
    r = await fetch(`${svc.url}/api/nothing`);
    assert.deepEqual([r.status, await r.json()], [404, { message: 'no route for GET /api/nothing' }]);
  });

  test('store: concurrent adds of one product make one line; the line limit gives 409', async () => {
    const store = createCarts(client.db());
    const cart = await store.create();
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.setItem(cart.id, 'p-race', i + 1)));
    const lines = (await store.get(cart.id)).items.filter((i) => i.productId === 'p-race');
    assert.equal(lines.length, 1);
    await carts.updateOne({ id: cart.id }, { $set: { items: Array.from({ length: MAX_LINES }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) } });
    await assert.rejects(store.setItem(cart.id, 'p-one-more', 1), (err) => err.statusCode === 409);
    assert.equal((await store.setItem(cart.id, 'p0', 3)).items[0].quantity, 3, 'changing an existing line still works when full');
    assert.equal(await store.setItem('00000000-0000-4000-8000-000000000000', 'p', 1), null);
    assert.equal(await store.removeItem('00000000-0000-4000-8000-000000000000', 'p'), null);
  });

  test('X-Request-Id is echoed and on the log line; metrics count by route template', async () => {
    const read = async () => (await fetch(`${svc.url}/metrics`)).text();
    const labels = { method: 'PUT', route: '/api/cart/:id/items/:productId', status: '200' };
    const before = metricValue(await read(), 'http_requests_total', labels);
    const { id } = await (await fetch(`${svc.url}/api/cart`, { method: 'POST' })).json();
    const r = await fetch(`${svc.url}/api/cart/${id}/items/p-mug`, { ...json('PUT', { quantity: 1 }), headers: { 'content-type': 'application/json', 'x-request-id': 'it-cart-7' } });
    assert.equal(r.headers.get('x-request-id'), 'it-cart-7');
    await fetch(`${svc.url}/api/cart/${id}/items/p-mug`, json('PUT', { quantity: 2 }));
    const line = await svc.waitForLog((l) => l.requestId === 'it-cart-7' && l.msg === 'request completed');
    assert.deepEqual([line.method, line.route, line.status, line.service], ['PUT', '/api/cart/:id/items/:productId', 200, 'cart']);
    const text = await read();
    assert.equal(metricValue(text, 'http_requests_total', labels), before + 2);
    assert.ok(metricValue(text, 'http_requests_total', { method: 'POST', route: '/api/cart', status: '201' }) >= 1);
    assert.doesNotMatch(text, new RegExp(id));
  });
});

// Kills its database: always its own SecantusDB, even when TEST_MONGODB_URI names a shared server.
test('/ready: 200 with the database, 503 after it is killed, API 503', { skip: ownSecantusSkipReason() }, async () => {
  const db = await startSecantus({ own: true });
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('carts') });
  try {
    await waitReady(svc.url);
    await db.kill();
    const r = await fetch(`${svc.url}/ready`);
    assert.equal(r.status, 503);
    assert.equal((await r.json()).status, 'unavailable');
    assert.equal((await fetch(`${svc.url}/health`)).status, 200);
    assert.equal((await fetch(`${svc.url}/api/cart`, { method: 'POST' })).status, 503);
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

// Starts its database late on a chosen port: always its own SecantusDB (startSecantus({ port })).
test('/ready turns 200 once a late database comes up (start-up retried)', { skip: ownSecantusSkipReason() }, async () => {
  const { freePort } = await import('@shopfront/node-kit/testing');
  const port = await freePort();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: `mongodb://127.0.0.1:${port}/carts` });
  let db;
  try {
    const r = await fetch(`${svc.url}/ready`);
    assert.equal(r.status, 503);
    assert.match((await r.json()).reason, /start-up not finished/);
    await svc.waitForLog((l) => l.msg === 'start-up (indexes) failed, retrying', 20000);
    assert.equal(svc.child.exitCode, null);
    db = await startSecantus({ port, own: true });
    await waitReady(svc.url, { timeoutMs: 30000 });
    const indexes = await (async () => {
      const c = new MongoClient(db.uri('carts'));
      try {
        return await c.db().collection('carts').indexes();
      } finally {
        await c.close();
      }
    })();
    assert.ok(indexes.some((i) => i.expireAfterSeconds === TTL_SECONDS));
  } finally {
    await svc.stop('SIGKILL');
    await db?.kill();
  }
});

test('SIGTERM: an in-flight PUT finishes against the database, then exit 0', async () => {
  const db = await startSecantus();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('carts'), SHUTDOWN_TIMEOUT_MS: '5000' });
  try {
    await waitReady(svc.url);
    const { id } = await (await fetch(`${svc.url}/api/cart`, { method: 'POST' })).json();
    const req = await slowRequest(svc.port, { method: 'PUT', path: `/api/cart/${id}/items/p-mug`, body: '{"quantity": 3}', headers: { 'X-Request-Id': 'in-flight-cart' } });
    await new Promise((r) => setTimeout(r, 100));
    svc.child.kill('SIGTERM');
    await svc.waitForLog((l) => l.msg.startsWith('shutting down'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(svc.child.exitCode, null, 'waits for the in-flight request');
    req.finish();
    const res = await req.response;
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { id, items: [{ productId: 'p-mug', quantity: 3 }] });
    assert.equal((await svc.exited).code, 0);
    const logs = svc.logs();
    assert.ok(logs.some((l) => l.requestId === 'in-flight-cart' && l.status === 200));
    assert.ok(logs.findIndex((l) => l.requestId === 'in-flight-cart' && l.msg === 'request completed') < logs.findIndex((l) => l.msg === 'stopped'));
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

test('SIGTERM: a request that never finishes is cut at SHUTDOWN_TIMEOUT_MS (exit 1)', async () => {
  const db = await startSecantus();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('carts'), SHUTDOWN_TIMEOUT_MS: '500' });
  try {
    await waitReady(svc.url);
    await slowRequest(svc.port, { method: 'PUT', path: '/api/cart/00000000-0000-4000-8000-000000000000/items/p', body: '{"quantity": 3}' });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    svc.child.kill('SIGTERM');
    assert.equal((await svc.exited).code, 1);
    assert.ok(Date.now() - started < 3000);
    assert.ok(svc.logs().some((l) => l.msg === 'shutdown timed out, exiting'));
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

test('config errors exit 1 with one JSON line naming the variable, never the password', async () => {
  for (const [env, variable] of [
    [{ MONGODB_URI: '' }, 'MONGODB_URI'],
    [{ MONGODB_URI: 'mongodb://cart:hunter2@127.0.0.1:1' }, 'MONGODB_URI'],
    [{ MONGODB_URI: 'mongodb://cart:hunter2@127.0.0.1:1/carts', LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
  ]) {
    const svc = spawnService(SERVER, { PORT: '0', ...env });
    assert.equal((await svc.exited).code, 1);
    const lines = svc.lines();
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]);
    assert.deepEqual([line.level, line.service, line.variable], ['fatal', 'cart', variable]);
    assert.match(line.msg, new RegExp(variable));
    assert.doesNotMatch(lines[0] + svc.stderr(), /hunter2/);
  }
});
