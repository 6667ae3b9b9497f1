import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApi, errorMessage, newRequestId } from './api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function jsonResponse(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function clientReturning(...responses) {
  const fetchImpl = vi.fn();
  for (const r of responses) fetchImpl.mockResolvedValueOnce(r);
  return { api: createApi({ fetchImpl }), fetchImpl };
}

describe('api client: paths, methods and bodies', () => {
  it('lists products with GET /api/products', async () => {
    const products = [{ id: 'p1', name: 'A', price: 100, currency: 'EUR' }];
    const { api, fetchImpl } = clientReturning(jsonResponse(200, products));
    await expect(api.listProducts()).resolves.toEqual(products);
    const [url, init] = fetchImpl.mock.calls[0];
    expect(url).toBe('/api/products');
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(init.headers.Accept).toBe('application/json');
    expect(init.headers['Content-Type']).toBeUndefined();
  });

  it.each([
    ['createCart', [], 'POST', '/api/cart', undefined],
    ['getCart', ['c1'], 'GET', '/api/cart/c1', undefined],
    ['setCartItem', ['c1', 'p1', 3], 'PUT', '/api/cart/c1/items/p1', { quantity: 3 }],
    ['removeCartItem', ['c1', 'p1'], 'DELETE', '/api/cart/c1/items/p1', undefined],
    ['deleteCart', ['c1'], 'DELETE', '/api/cart/c1', undefined],
    ['getOrder', ['o1'], 'GET', '/api/orders/o1', undefined],
    ['listOrders', ['c1'], 'GET', '/api/orders?cartId=c1', undefined],
  ])('%s calls %s %s', async (fn, args, method, path, body) => {
    const { api, fetchImpl } = clientReturning(jsonResponse(200, { id: 'x', items: [] }));
    await api[fn](...args);
    const [url, init] = fetchImpl.mock.calls[0];
    expect(init.method).toBe(method);
    expect(url).toBe(path);
    expect(init.body === undefined ? undefined : JSON.parse(init.body)).toEqual(body);
    if (body) expect(init.headers['Content-Type']).toBe('application/json');
  });

  it('places an order with only cartId and productId/quantity pairs', async () => {
    const order = { id: 'o1', total: 300, currency: 'EUR', items: [] };
    const { api, fetchImpl } = clientReturning(jsonResponse(201, order));
    const items = [{ productId: 'p1', quantity: 2, name: 'ignored' }];
    await expect(api.placeOrder('c1', items)).resolves.toEqual(order);
    const [url, init] = fetchImpl.mock.calls[0];
    expect(url).toBe('/api/orders');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual({ cartId: 'c1', items: [{ productId: 'p1', quantity: 2 }] });
  });

  it('encodes ids in paths and query strings', async () => {
    const { api, fetchImpl } = clientReturning(jsonResponse(200, {}), jsonResponse(200, []));
    await api.setCartItem('a/b', 'p 1?', 1);
    await api.listOrders('c&d=e');
    expect(fetchImpl.mock.calls[0][0]).toBe('/api/cart/a%2Fb/items/p%201%3F');
    expect(fetchImpl.mock.calls[1][0]).toBe('/api/orders?cartId=c%26d%3De');
  });

  it('prefixes a base URL when given one', async () => {
    const fetchImpl = vi.fn().mockResolvedValue(jsonResponse(200, []));
    await createApi({ fetchImpl, baseUrl: 'http://shop.test' }).listProducts();
    expect(fetchImpl.mock.calls[0][0]).toBe('http://shop.test/api/products');
  });

  it('returns null for 204 No Content', async () => {
    const { api } = clientReturning(new Response(null, { status: 204 }));
    await expect(api.deleteCart('c1')).resolves.toBeNull();
  });
});

describe('api client: X-Request-Id', () => {
  it('sends a fresh UUID on every call', async () => {
    const fetchImpl = vi.fn().mockImplementation(async () => jsonResponse(200, []));
    const api = createApi({ fetchImpl });
    await api.listProducts();
    await api.listProducts();
    const [a, b] = fetchImpl.mock.calls.map(([, init]) => init.headers['X-Request-Id']);
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });

  it('uses crypto.randomUUID when there is one', () => {
    const fake = { randomUUID: () => '11111111-1111-4111-8111-111111111111' };
    expect(newRequestId(fake)).toBe('11111111-1111-4111-8111-111111111111');
  });

  it('falls back to getRandomValues outside secure contexts', () => {
    const fake = { getRandomValues: (a) => globalThis.crypto.getRandomValues(a) };
    expect(newRequestId(fake)).toMatch(UUID);
    expect(newRequestId(undefined)).toMatch(UUID);
  });
});

describe('api client: errors', () => {
  it('maps a 4xx JSON body to an ApiError with its message and status', async () => {
    const { api } = clientReturning(jsonResponse(400, { message: 'quantity must be positive' }));
    const err = await api.setCartItem('c1', 'p1', 0).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('quantity must be positive');
    expect(err.requestId).toMatch(UUID);
    expect(err.body).toEqual({ message: 'quantity must be positive' });
  });

  it('reads "error" and nested {error: {message}} bodies', () => {
    expect(errorMessage(409, { error: 'out of stock' })).toBe('out of stock');
    expect(errorMessage(422, { error: { message: 'bad item' } })).toBe('bad item');
    expect(errorMessage(404, { detail: 'no such cart' })).toBe('no such cart');
  });

  it('uses a short text body as the message', async () => {
    const { api } = clientReturning(new Response('cart is locked', { status: 409 }));
    await expect(api.getCart('c1')).rejects.toMatchObject({ status: 409, message: 'cart is locked' });
  });

  it('gives a generic message for 5xx without a usable body (no HTML leaks into the UI)', async () => {
    const { api } = clientReturning(
      new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
    );
    const err = await api.listProducts().catch((e) => e);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/unavailable.*HTTP 502/);
  });

  it('gives a generic message for an empty 4xx', async () => {
    const { api } = clientReturning(new Response(null, { status: 404 }));
    await expect(api.getOrder('o1')).rejects.toMatchObject({ status: 404, message: 'Request failed (HTTP 404).' });
  });

  it('keeps the server\'s X-Request-Id when it sends one back', async () => {
    const { api } = clientReturning(jsonResponse(400, { message: 'no' }, { 'X-Request-Id': 'srv-1' }));
    await expect(api.createCart()).rejects.toMatchObject({ requestId: 'srv-1' });
  });

  it('maps a network failure to an ApiError with status 0', async () => {
    const fetchImpl = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    const err = await createApi({ fetchImpl }).listProducts().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/Cannot reach/);
    expect(err.cause).toBeInstanceOf(TypeError);
  });
});
