#!/usr/bin/env node
// A tiny stand-in for the Shopfront APIs, in memory, plus a static server for dist/ with the
// same SPA fallback as nginx.conf. For smoke tests of the built app (e2e/smoke.mjs) and for
// `npm run dev` (VITE_API_PROXY=http://127.0.0.1:8081). The unit tests reuse handleApi().
//
//   node e2e/fake-apis.mjs [--port 8081] [--host 127.0.0.1] [--dist dist]
//
// Prints {"url": "http://host:port"} on stdout once it listens.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED_PRODUCTS = [
  { id: 'p-espresso', name: 'Espresso beans', description: '1 kg, dark roast', price: 1850, currency: 'EUR' },
  { id: 'p-grinder', name: 'Hand grinder', description: 'Ceramic burrs', price: 4999, currency: 'EUR' },
  { id: 'p-mug', name: 'Mug', description: 'Stoneware, 300 ml', price: 1200, currency: 'EUR' },
];

/** In-memory state of the three APIs; handleApi(state, method, url, body) -> {status, body}. */
export function createShopState({ products = SEED_PRODUCTS } = {}) {
  return { products: products.map((p) => ({ ...p })), carts: new Map(), orders: new Map(), log: [] };
}

const error = (status, message) => ({ status, body: { message } });

export function handleApi(state, method, url, body) {
  const { pathname, searchParams } = new URL(url, 'http://fake.invalid');
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  state.log.push({ method, path: pathname + (searchParams.size ? `?${searchParams}` : ''), body });
  if (parts[0] !== 'api') return error(404, 'not found');
  const [, resource, id, sub, productId] = parts;

  if (resource === 'products' && parts.length === 2 && method === 'GET') {
    return { status: 200, body: state.products };
  }

  if (resource === 'cart') {
    if (parts.length === 2 && method === 'POST') {
      const cart = { id: randomUUID(), items: [] };
      state.carts.set(cart.id, cart);
      return { status: 201, body: cart };
    }
    const cart = state.carts.get(id);
    if (!cart) return error(404, `cart ${id} not found`);
    if (parts.length === 3 && method === 'GET') return { status: 200, body: cart };
    if (parts.length === 3 && method === 'DELETE') {
      state.carts.delete(id);
      return { status: 204, body: null };
    }
    if (parts.length === 5 && sub === 'items') {
      if (method === 'PUT') {
        const quantity = body?.quantity;
        if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
          return error(400, 'quantity must be an integer between 1 and 99');
        }
        if (!state.products.some((p) => p.id === productId)) {
          return error(404, `product ${productId} not found`);
        }
        const line = cart.items.find((i) => i.productId === productId);
        if (line) line.quantity = quantity;
        else cart.items.push({ productId, quantity });
        return { status: 200, body: cart };
      }
      if (method === 'DELETE') {
        cart.items = cart.items.filter((i) => i.productId !== productId);
        return { status: 200, body: cart };
      }
    }
    return error(405, 'method not allowed');
  }

  if (resource === 'orders') {
    if (parts.length === 2 && method === 'POST') {
      const items = Array.isArray(body?.items) ? body.items : [];
      if (!body?.cartId) return error(400, 'cartId is required');
      if (items.length === 0) return error(400, 'an order needs at least one item');
      const lines = [];
      for (const { productId: pid, quantity } of items) {
        const product = state.products.find((p) => p.id === pid);
        if (!product) return error(400, `unknown product ${pid}`);
        if (!Number.isInteger(quantity) || quantity < 1) return error(400, 'quantity must be a positive integer');
        lines.push({ productId: pid, name: product.name, unitPrice: product.price, quantity, lineTotal: product.price * quantity });
      }
      const order = {
        id: randomUUID(),
        cartId: body.cartId,
        items: lines,
        total: lines.reduce((sum, l) => sum + l.lineTotal, 0),
        currency: 'EUR',
        status: 'PLACED',
        createdAt: new Date().toISOString(),
      };
      state.orders.set(order.id, order);
      return { status: 201, body: order };
    }
    if (parts.length === 2 && method === 'GET') {
      const cartId = searchParams.get('cartId');
      return { status: 200, body: [...state.orders.values()].filter((o) => !cartId || o.cartId === cartId) };
    }
    if (parts.length === 3 && method === 'GET') {
      const order = state.orders.get(id);
      return order ? { status: 200, body: order } : error(404, `order ${id} not found`);
    }
    return error(405, 'method not allowed');
  }
  return error(404, 'not found');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function serveStatic(distDir, pathname, res) {
  const root = resolve(distDir);
  let file = resolve(join(root, normalize(decodeURIComponent(pathname))));
  if (file !== root && !file.startsWith(root + sep)) file = join(root, 'index.html');
  let found = await stat(file).then((s) => s.isFile(), () => false);
  if (!found && pathname.startsWith('/assets/')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  if (!found) file = join(root, 'index.html'); // SPA fallback, as nginx.conf's try_files
  const data = await readFile(file);
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' }).end(data);
}

/** Start the fake on host:port (0 = any free port); resolves to {url, state, close()}. */
export async function startFakeServer({ port = 0, host = '127.0.0.1', distDir } = {}) {
  const dist = distDir || fileURLToPath(new URL('../dist/', import.meta.url));
  const state = createShopState();
  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://fake.invalid');
      if (pathname === '/health' || pathname === '/ready') {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      if (pathname.startsWith('/api/')) {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const raw = Buffer.concat(chunks).toString('utf8');
        let body;
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"invalid JSON body"}');
            return;
          }
        }
        const requestId = req.headers['x-request-id'] || '';
        const out = handleApi(state, req.method, req.url, body);
        state.log[state.log.length - 1].requestId = requestId;
        const headers = { 'X-Request-Id': requestId };
        if (out.status === 204 || out.body === null) {
          res.writeHead(out.status === 204 ? 204 : out.status, headers).end();
        } else {
          res.writeHead(out.status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(out.body));
        }
        return;
      }
      await serveStatic(dist, pathname, res);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: String(err) }));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    state,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fake = await startFakeServer({
    port: Number(arg('port', process.env.PORT || 8081)),
    host: arg('host', '127.0.0.1'),
    distDir: arg('dist', undefined),
  });
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
