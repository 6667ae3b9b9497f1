#!/usr/bin/env node
// Smoke test of the built app (dist/) without any cluster: start the in-memory fake APIs
// (fake-apis.mjs) on a free port, run the browser journey (shop.mjs) against it, check that the
// fake saw the order with an X-Request-Id on every API call. Needs `npm run build` first.
import { startFakeServer } from './fake-apis.mjs';
import { runShop } from './shop.mjs';

const fake = await startFakeServer({ port: 0 });
let code = 0;
try {
  const { orderId } = await runShop({ baseUrl: fake.url });
  const order = fake.state.orders.get(orderId);
  if (!order) throw new Error(`the page shows order ${orderId}, the fake API has no such order`);
  const missing = fake.state.log.filter((entry) => !/^[0-9a-f-]{36}$/.test(entry.requestId || ''));
  if (missing.length) throw new Error(`API calls without X-Request-Id: ${JSON.stringify(missing)}`);
  process.stdout.write(`${JSON.stringify({ orderId, total: order.total, apiCalls: fake.state.log.length })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: String(err.message || err).split('\n')[0], screenshot: err.screenshot ?? null })}\n`);
  code = 1;
} finally {
  await fake.close();
}
process.exit(code);
