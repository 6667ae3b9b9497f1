// The HTTP layer with the store faked in memory: routes, validation, status codes, shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, createMetrics, httpError } from '@shopfront/node-kit';
import { buildApp } from '../../src/app.js';
import { toCart } from '../../src/carts.js';

const ID = '0b6f3f7e-9d2c-4a55-8f0e-7a1c2b3d4e5f';
const OTHER = '1b6f3f7e-9d2c-4a55-8f0e-7a1c2b3d4e5f';

function memoryCarts() {
  const carts = new Map();
  const calls = [];
  return {
    carts,
    calls,
    async create() {
      const cart = { id: ID, items: [], _id: 'x', updatedAt: new Date() };
      carts.set(ID, cart);
      return toCart(cart);
    },
    async get(id) {
      calls.push(['get', id]);
      return carts.has(id) ? { ...carts.get(id), _id: 'leak' } : null;
    },
    async setItem(id, productId, quantity) {
      calls.push(['setItem', id, productId, quantity]);
      const cart = carts.get(id);
      if (!cart) return null;
      if (productId === 'p-full') throw httpError(409, 'a cart holds at most 100 different products');
      const line = cart.items.find((i) => i.productId === productId);
      if (line) line.quantity = quantity;
      else cart.items.push({ productId, quantity });
      return toCart(cart);
    },
    async removeItem(id, productId) {
      const cart = carts.get(id);
      if (!cart) return null;
      cart.items = cart.items.filter((i) => i.productId !== productId);
      return toCart(cart);
    },
    async remove(id) {
      return carts.delete(id);
    },
  };
}

function makeApp(store = memoryCarts()) {
  const logger = createLogger({ service: 'cart', level: 'silent' });
  return { app: buildApp({ logger, carts: store, ready: async () => {}, metrics: createMetrics({ defaultMetrics: false }) }), store };
}

const put = (app, url, payload, headers = {}) => app.inject({ method: 'PUT', url, payload, headers });

test('POST /api/cart -> 201 {id, items: []}, with or without a body', async () => {
  const { app } = makeApp();
  let r = await app.inject({ method: 'POST', url: '/api/cart' });
  assert.equal(r.statusCode, 201);
  assert.deepEqual(r.json(), { id: ID, items: [] });
  r = await app.inject({ method: 'POST', url: '/api/cart', payload: {} });
  assert.equal(r.statusCode, 201);
});

test('the full round trip the frontend does', async () => {
  const { app } = makeApp();
  await app.inject({ method: 'POST', url: '/api/cart' });
  let r = await put(app, `/api/cart/${ID}/items/p-mug`, { quantity: 2 });
  assert.deepEqual([r.statusCode, r.json()], [200, { id: ID, items: [{ productId: 'p-mug', quantity: 2 }] }]);
  r = await put(app, `/api/cart/${ID}/items/p-espresso`, { quantity: 1 });
  r = await put(app, `/api/cart/${ID}/items/p-mug`, { quantity: 99 });
  assert.deepEqual(r.json().items, [{ productId: 'p-mug', quantity: 99 }, { productId: 'p-espresso', quantity: 1 }]);
  r = await app.inject(`/api/cart/${ID}`);
  assert.deepEqual(r.json(), { id: ID, items: [{ productId: 'p-mug', quantity: 99 }, { productId: 'p-espresso', quantity: 1 }] });
  assert.ok(!('_id' in r.json()) && !('updatedAt' in r.json()), 'only id and items go out');
  r = await app.inject({ method: 'DELETE', url: `/api/cart/${ID}/items/p-mug` });
  assert.deepEqual([r.statusCode, r.json().items], [200, [{ productId: 'p-espresso', quantity: 1 }]]);
  r = await app.inject({ method: 'DELETE', url: `/api/cart/${ID}` });
  assert.equal(r.statusCode, 204);
  assert.equal(r.body, '');
  r = await app.inject(`/api/cart/${ID}`);
  assert.deepEqual([r.statusCode, r.json()], [404, { message: `cart ${ID} not found` }]);
});

test('unknown carts are 404 on every route', async () => {
  const { app } = makeApp();
  for (const [method, url, payload] of [
    ['GET', `/api/cart/${OTHER}`],
    ['PUT', `/api/cart/${OTHER}/items/p-mug`, { quantity: 1 }],
    ['DELETE', `/api/cart/${OTHER}/items/p-mug`],
    ['DELETE', `/api/cart/${OTHER}`],
  ]) {
    const r = await app.inject({ method, url, payload });
    assert.equal(r.statusCode, 404, `${method} ${url}`);
    assert.match(r.json().message, /not found/);
  }
});

test('quantity validation: 1..99 integers only, 400 with the field named', async () => {
  const { app, store } = makeApp();
  await app.inject({ method: 'POST', url: '/api/cart' });
  const url = `/api/cart/${ID}/items/p-mug`;
  for (const payload of [{ quantity: 0 }, { quantity: 100 }, { quantity: 1.5 }, { quantity: '2' }, { quantity: null }, {}, { quantity: 1, price: 5 }, [1]]) {
    const r = await put(app, url, payload);
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    assert.match(r.json().message, /^invalid request: body/);
    assert.ok(r.json().details.length >= 1);
  }
  const missing = await put(app, url, {});
  assert.equal(missing.json().details[0].field, 'quantity');
  assert.ok(!store.calls.some(([op]) => op === 'setItem'), 'invalid input never reaches the store');
});

test('malformed JSON, empty JSON body, no body: 400, never 500', async () => {
  const { app } = makeApp();
  const url = `/api/cart/${ID}/items/p-mug`;
  let r = await app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json' }, payload: '{"quantity": 2' });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().message, /not valid JSON/);
  r = await app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json' }, payload: '' });
  assert.equal(r.statusCode, 400);
  r = await app.inject({ method: 'PUT', url });
  assert.equal(r.statusCode, 400);
});

test('bad ids: 400 for a non-UUID cart id or a bad product id', async () => {
  const { app } = makeApp();
  let r = await app.inject('/api/cart/not-a-uuid');
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'id');
  r = await put(app, `/api/cart/${ID}/items/${encodeURIComponent('bad product')}`, { quantity: 1 });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'productId');
});

test('409 from the store is passed through; 405 and 404 for other routes', async () => {
  const { app } = makeApp();
  await app.inject({ method: 'POST', url: '/api/cart' });
  let r = await put(app, `/api/cart/${ID}/items/p-full`, { quantity: 1 });
  assert.deepEqual([r.statusCode, r.json()], [409, { message: 'a cart holds at most 100 different products' }]);
  r = await app.inject({ method: 'PATCH', url: `/api/cart/${ID}` });
  assert.equal(r.statusCode, 405);
  assert.equal(r.headers.allow, 'GET, HEAD, DELETE');
  r = await app.inject({ method: 'GET', url: '/api/cart' });
  assert.equal(r.statusCode, 405);
  r = await app.inject('/api/carts');
  assert.equal(r.statusCode, 404);
});

test('toCart keeps only id and {productId, quantity} items', () => {
  assert.equal(toCart(null), null);
  assert.deepEqual(toCart({ _id: 1, id: 'c', updatedAt: 1, items: [{ productId: 'p', quantity: 2, extra: 1 }] }), { id: 'c', items: [{ productId: 'p', quantity: 2 }] });
  assert.deepEqual(toCart({ id: 'c' }), { id: 'c', items: [] });
});
