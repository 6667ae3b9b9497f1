// The HTTP layer with the database faked: routes, validation, errors, serialization.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, createMetrics } from '@shopfront/node-kit';
import { buildApp } from '../../src/app.js';

const PRODUCTS = [
  { id: 'p-espresso', name: 'Espresso beans', description: '1 kg, dark roast', price: 1850, currency: 'EUR' },
  { id: 'p-mug', name: 'Mug', description: 'Stoneware, 300 ml', price: 1200, currency: 'EUR' },
];

function fakeCatalogue(products = PRODUCTS) {
  const calls = [];
  return {
    calls,
    async list() {
      calls.push(['list']);
      return products.map((p) => ({ ...p, _id: 'internal' }));
    },
    async get(id) {
      calls.push(['get', id]);
      if (id === 'p-db-down') throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' });
      const p = products.find((x) => x.id === id);
      return p ? { ...p, _id: 'internal' } : null;
    },
  };
}

function makeApp(catalogue = fakeCatalogue(), ready = async () => {}) {
  const lines = [];
  const logger = createLogger({ service: 'product', destination: { write: (s) => lines.push(JSON.parse(s)) } });
  return { app: buildApp({ logger, catalogue, ready, metrics: createMetrics({ defaultMetrics: false }) }), catalogue, lines };
}

test('GET /api/products: the array, without _id', async () => {
  const { app } = makeApp();
  const r = await app.inject('/api/products');
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), PRODUCTS);
});

test('GET /api/products/:id: 200, 404 with message, 400 on a bad id, 503 when the DB is down', async () => {
  const { app, catalogue } = makeApp();
  let r = await app.inject('/api/products/p-mug');
  assert.deepEqual([r.statusCode, r.json()], [200, PRODUCTS[1]]);
  r = await app.inject('/api/products/p-none');
  assert.deepEqual([r.statusCode, r.json()], [404, { message: 'product p-none not found' }]);
  r = await app.inject(`/api/products/${'x'.repeat(65)}`);
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'id');
  r = await app.inject('/api/products/bad%20id');
  assert.equal(r.statusCode, 400);
  r = await app.inject('/api/products/p-db-down');
  assert.equal(r.statusCode, 503);
  assert.ok(!catalogue.calls.some(([, id]) => id === 'bad id'), 'invalid ids never reach the database');
});

test('wrong method 405, unknown route 404', async () => {
  const { app } = makeApp();
  let r = await app.inject({ method: 'POST', url: '/api/products', payload: {} });
  assert.equal(r.statusCode, 405);
  assert.equal(r.headers.allow, 'GET, HEAD');
  r = await app.inject({ method: 'DELETE', url: '/api/products/p-mug' });
  assert.equal(r.statusCode, 405);
  r = await app.inject('/api/productz');
  assert.deepEqual([r.statusCode, r.json()], [404, { message: 'no route for GET /api/productz' }]);
});

test('malformed JSON body is a 400, never a 500', async () => {
  const { app } = makeApp();
  const r = await app.inject({ method: 'POST', url: '/api/products', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /not valid JSON/);
});

test('/ready reflects the readiness check', async () => {
  let up = false;
  const { app } = makeApp(fakeCatalogue(), async () => {
    if (!up) throw new Error('start-up not finished');
  });
  assert.deepEqual((await app.inject('/ready')).json(), { status: 'unavailable', reason: 'start-up not finished' });
  up = true;
  assert.deepEqual((await app.inject('/ready')).json(), { status: 'ready' });
});
