// The esbuild bundle (what the image runs) works on its own: /app/server.js + /app/seed/, no
// node_modules anywhere above it.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundle } from '@shopfront/node-kit/bin/bundle.mjs';
import { startSecantus, startServiceProcess, waitReady } from '@shopfront/node-kit/testing';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

test('bundle: one file that serves the seeded catalogue against SecantusDB', async () => {
  const app = mkdtempSync(join(tmpdir(), 'product-bundle-'));
  const db = await startSecantus();
  let svc;
  try {
    const bytes = await bundle(here('../../src/server.js'), join(app, 'server.js'));
    assert.ok(bytes > 100_000 && bytes < 5_000_000, `bundle size ${bytes}`);
    cpSync(here('../../seed'), join(app, 'seed'), { recursive: true });
    assert.ok(!existsSync(join(app, 'node_modules')));
    svc = await startServiceProcess(join(app, 'server.js'), { MONGODB_URI: db.uri('products') }, { cwd: app });
    await waitReady(svc.url);
    const products = await (await fetch(`${svc.url}/api/products`)).json();
    assert.ok(products.some((p) => p.id === 'p-espresso' && p.price === 1850));
    assert.ok(svc.logs().some((l) => l.msg === 'catalogue seeded' && l.file === join(app, 'seed', 'products.json')));
    svc.child.kill('SIGTERM');
    assert.equal((await svc.exited).code, 0);
    assert.equal(svc.stderr(), '', 'no warnings on stderr');
  } finally {
    await svc?.stop('SIGKILL');
    await db.kill();
    rmSync(app, { recursive: true, force: true });
  }
});
