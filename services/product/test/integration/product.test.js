// The real service (src/server.js in a child process) against a real SecantusDB.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { metricValue, ownSecantusSkipReason, slowRequest, startSecantus, startServiceProcess, waitReady, eventually } from '@shopfront/node-kit/testing';
import { createCatalogue } from '../../src/catalogue.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const SEED = JSON.parse(readFileSync(new URL('../../seed/products.json', import.meta.url), 'utf8'));
const byId = (a, b) => a.id.localeCompare(b.id);

describe('product against SecantusDB', () => {
  let db;
  let svc;
  let client;

  before(async () => {
    db = await startSecantus();
    svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('products') });
    await waitReady(svc.url);
    client = new MongoClient(db.uri('products'), { serverSelectionTimeoutMS: 5000 });
  });

  after(async () => {
    await client?.close();
    await svc?.stop('SIGKILL');
    await db?.kill();
  });

  test('start-up creates the unique index on id and seeds the catalogue', async () => {
    const indexes = await client.db().collection('products').indexes();
    const idIndex = indexes.find((i) => JSON.stringify(i.key) === '{"id":1}');
    assert.ok(idIndex, JSON.stringify(indexes));
    assert.equal(idIndex.unique, true);
    await assert.rejects(client.db().collection('products').insertOne({ id: 'p-mug' }), (err) => err.code === 11000);
    assert.equal(await client.db().collection('products').countDocuments(), SEED.length);
  });

  test('GET /api/products returns the seed, with string ids and no _id', async () => {
    const r = await fetch(`${svc.url}/api/products`);
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.deepEqual(body, [...SEED].sort(byId));
    assert.ok(body.every((p) => !('_id' in p)));
  });

  test('GET /api/products/:id: 200, 404, 400', async () => {
    let r = await fetch(`${svc.url}/api/products/p-grinder`);
    assert.deepEqual(await r.json(), SEED.find((p) => p.id === 'p-grinder'));
    r = await fetch(`${svc.url}/api/products/p-unknown`);
    assert.deepEqual([r.status, await r.json()], [404, { message: 'product p-unknown not found' }]);
    r = await fetch(`${svc.url}/api/products/${encodeURIComponent('a$b')}`);
    assert.equal(r.status, 400);
  });

  test('seeding again is an idempotent upsert', async () => {
    const catalogue = createCatalogue(client.db());
    await catalogue.ensureIndexes();
    const changed = SEED.map((p) => (p.id === 'p-mug' ? { ...p, price: 1300 } : p));
    const result = await catalogue.seed(changed);
    assert.deepEqual(result, { upserted: 0, modified: 1 });
    assert.equal((await catalogue.get('p-mug')).price, 1300);
    assert.deepEqual(await catalogue.seed([]), { upserted: 0, modified: 0 });
    await catalogue.seed(SEED);
    assert.equal(await client.db().collection('products').countDocuments(), SEED.length);
  });

  test('X-Request-Id is echoed and written on the request log line', async () => {
    const r = await fetch(`${svc.url}/api/products/p-mug`, { headers: { 'X-Request-Id': 'it-product-1' } });
    assert.equal(r.headers.get('x-request-id'), 'it-product-1');
    const line = await svc.waitForLog((l) => l.requestId === 'it-product-1' && l.msg === 'request completed');
    assert.deepEqual(
      [line.service, line.method, line.route, line.status],
      ['product', 'GET', '/api/products/:id', 200],
    );
    const generated = (await fetch(`${svc.url}/health`, { headers: { 'X-Request-Id': 'no spaces allowed' } })).headers.get('x-request-id');
    assert.match(generated, /^[0-9a-f-]{36}$/);
  });

  test('metrics count by route template', async () => {
    const read = async () => (await fetch(`${svc.url}/metrics`)).text();
    const labels = { method: 'GET', route: '/api/products/:id', status: '200' };
    const before = metricValue(await read(), 'http_requests_total', labels);
    await fetch(`${svc.url}/api/products/p-mug`);
    await fetch(`${svc.url}/api/products/p-espresso`);
    await fetch(`${svc.url}/no/such/path`);
    const text = await read();
    assert.equal(metricValue(text, 'http_requests_total', labels), before + 2);
    assert.ok(metricValue(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) >= 1);
    assert.ok(metricValue(text, 'http_request_duration_seconds_count', labels) >= 2);
    assert.doesNotMatch(text, /route="\/api\/products\/p-mug"/);
  });

  test('logs are JSON lines with time, level, service, msg', () => {
    for (const line of svc.logs()) {
      assert.ok(!line.unparsed, `not JSON: ${line.unparsed}`);
      assert.ok(line.time && line.level && line.service === 'product' && line.msg, JSON.stringify(line));
    }
  });
});

test('PRODUCT_SEED=false leaves the catalogue empty', async () => {
  const db = await startSecantus();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('products'), PRODUCT_SEED: 'false' });
  try {
    await waitReady(svc.url);
    assert.deepEqual(await (await fetch(`${svc.url}/api/products`)).json(), []);
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

// Kills its database: always its own SecantusDB, even when TEST_MONGODB_URI names a shared server.
test('/ready: 503 before the database answers, 200 with it, 503 after it is killed', { skip: ownSecantusSkipReason() }, async () => {
  const db = await startSecantus({ own: true });
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('products') });
  try {
    await waitReady(svc.url);
    assert.deepEqual(await (await fetch(`${svc.url}/ready`)).json(), { status: 'ready' });
    await db.kill();
    const started = Date.now();
    const r = await fetch(`${svc.url}/ready`);
    assert.equal(r.status, 503);
    assert.equal((await r.json()).status, 'unavailable');
    assert.ok(Date.now() - started < 3000, 'the ping is bounded');
    assert.equal((await fetch(`${svc.url}/health`)).status, 200, '/health touches no dependency');
    const api = await fetch(`${svc.url}/api/products`);
    assert.equal(api.status, 503);
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

test('SIGTERM: the in-flight request finishes, then exit 0', async () => {
  const db = await startSecantus();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: db.uri('products') });
  try {
    await waitReady(svc.url);
    // A request whose body is still arriving when the signal comes (the route answers 405
    // after reading it: the product API has no body routes).
    const req = await slowRequest(svc.port, { method: 'DELETE', path: '/api/products/p-mug', body: '{"reason":"test"}', headers: { 'X-Request-Id': 'in-flight-1' } });
    await new Promise((r) => setTimeout(r, 100));
    svc.child.kill('SIGTERM');
    await svc.waitForLog((l) => l.msg.startsWith('shutting down'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(svc.child.exitCode, null, 'still running while a request is in flight');
    req.finish();
    const res = await req.response;
    assert.equal(res.status, 405);
    assert.equal(res.headers['x-request-id'], 'in-flight-1');
    const { code } = await svc.exited;
    assert.equal(code, 0);
    assert.ok(svc.logs().some((l) => l.msg === 'stopped' && l.exitCode === 0));
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});

describe('configuration errors: exit 1 with one JSON line naming the variable', () => {
  const cases = [
    ['MONGODB_URI missing', { MONGODB_URI: '' }, 'MONGODB_URI', /MONGODB_URI is required/],
    ['URI without database', { MONGODB_URI: 'mongodb://admin:hunter2@127.0.0.1:1/' }, 'MONGODB_URI', /no database path/],
    ['URI not mongodb', { MONGODB_URI: 'postgres://admin:hunter2@h/db' }, 'MONGODB_URI', /mongodb/],
    ['bad PORT', { MONGODB_URI: 'mongodb://127.0.0.1:1/products', PORT: 'eighty' }, 'PORT', /PORT must be an integer/],
    ['bad SHUTDOWN_TIMEOUT_MS', { MONGODB_URI: 'mongodb://127.0.0.1:1/products', SHUTDOWN_TIMEOUT_MS: '-5' }, 'SHUTDOWN_TIMEOUT_MS', /SHUTDOWN_TIMEOUT_MS/],
    ['bad PRODUCT_SEED', { MONGODB_URI: 'mongodb://127.0.0.1:1/products', PRODUCT_SEED: 'perhaps' }, 'PRODUCT_SEED', /true or false/],
    ['missing seed file', { MONGODB_URI: 'mongodb://127.0.0.1:1/products', PRODUCT_SEED_FILE: '/nonexistent/products.json' }, 'PRODUCT_SEED_FILE', /cannot read seed file/],
  ];
  for (const [name, env, variable, re] of cases) {
    test(name, async () => {
      const { spawnService } = await import('@shopfront/node-kit/testing');
      const svc = spawnService(SERVER, { PORT: '0', ...env });
      const { code } = await svc.exited;
      assert.equal(code, 1);
      const lines = svc.lines();
      assert.equal(lines.length, 1, lines.join('\n'));
      const line = JSON.parse(lines[0]);
      assert.equal(line.level, 'fatal');
      assert.equal(line.service, 'product');
      assert.equal(line.variable, variable);
      assert.match(line.msg, re);
      assert.doesNotMatch(lines[0] + svc.stderr(), /hunter2/);
    });
  }
});

test('a wrong password is never logged', async () => {
  const db = await startSecantus();
  const svc = await startServiceProcess(SERVER, { MONGODB_URI: `mongodb://shop:hunter2@${db.host}:${db.port}/${db.dbName('products')}?authSource=admin` });
  try {
    await eventually(() => svc.logs().some((l) => /failed, retrying/.test(l.msg)));
    await fetch(`${svc.url}/api/products`);
    await fetch(`${svc.url}/ready`);
    const all = svc.lines().join('\n') + svc.stderr();
    assert.doesNotMatch(all, /hunter2/);
    assert.match(all, /shop:\*\*\*@/);
  } finally {
    await svc.stop('SIGKILL');
    await db.kill();
  }
});
