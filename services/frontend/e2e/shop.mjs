#!/usr/bin/env node
// End-to-end journey through a running Shopfront in headless Chromium: open BASE_URL, add the
// first product to the cart, place the order, wait for the confirmation.
//
//   BASE_URL=https://shop.dev.example.com node e2e/shop.mjs
//
// Success: prints {"orderId": "...", "productId": "..."} on stdout, exits 0.
// Failure: prints {"error": "...", "screenshot": "/path.png"} on stdout, exits 1 (2 for bad usage).
// Env: BASE_URL (required), CHROMIUM_PATH (default /usr/bin/chromium), E2E_TIMEOUT_MS (default
// 30000, per step), E2E_ARTIFACTS (screenshot folder, default e2e/artifacts).
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-dev-shm-usage',
];

/** Run the journey; resolves to {orderId, productId}; throws with .screenshot on failure. */
export async function runShop({
  baseUrl,
  executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 30000),
  artifactsDir = process.env.E2E_ARTIFACTS || fileURLToPath(new URL('./artifacts/', import.meta.url)),
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ ignoreHTTPSErrors: process.env.E2E_INSECURE === '1' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const consoleErrors = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  try {
    log(`open ${baseUrl}`);
    await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
    // Product cards are data-testid="product-<id>"; their add buttons "add-<id>".
    const firstCard = page.locator('[data-testid="products"] > [data-testid^="product-"]').first();
    await firstCard.waitFor({ state: 'visible' });
    const productId = (await firstCard.getAttribute('data-testid')).slice('product-'.length);
    log(`add ${productId}`);
    await page.getByTestId(`add-${productId}`).click();
    await page.getByTestId(`cart-line-${productId}`).waitFor({ state: 'visible' });
    log('place order');
    await page.getByTestId('place-order').click();
    const confirmation = page.getByTestId('order-confirmation');
    await confirmation.waitFor({ state: 'visible' });
    const orderId = await confirmation.getAttribute('data-order-id');
    if (!orderId) throw new Error('order-confirmation has no data-order-id');
    log(`order ${orderId} total ${await page.getByTestId('order-total').textContent()}`);
    return { orderId, productId };
  } catch (err) {
    await mkdir(artifactsDir, { recursive: true });
    const screenshot = resolve(join(artifactsDir, `shop-failure-${Date.now()}.png`));
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    const alert = await page.getByRole('alert').first().textContent({ timeout: 500 }).catch(() => null);
    err.screenshot = screenshot;
    err.details = { url: page.url(), alert, consoleErrors };
    throw err;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const baseUrl = process.env.BASE_URL || process.argv[2];
  if (!baseUrl) {
    process.stderr.write('usage: BASE_URL=https://shop.example node e2e/shop.mjs\n');
    process.exit(2);
  }
  try {
    const { orderId, productId } = await runShop({ baseUrl });
    process.stdout.write(`${JSON.stringify({ orderId, productId })}\n`);
    process.exit(0);
  } catch (err) {
    process.stdout.write(
      `${JSON.stringify({ error: String(err.message || err).split('\n')[0], screenshot: err.screenshot ?? null, ...err.details })}\n`,
    );
    process.stderr.write(`e2e failed: ${err.stack || err}\n`);
    process.exit(1);
  }
}
