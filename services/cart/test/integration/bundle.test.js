// The esbuild bundle (what the image runs) works on its own: /app/server.js, no node_modules
// anywhere above it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundle } from '@shopfront/node-kit/bin/bundle.mjs';
import { startSecantus, startServiceProcess, waitReady } from '@shopfront/node-kit/testing';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

test('bundle: one file that serves carts against SecantusDB', async () => {
  const app = mkdtempSync(join(tmpdir(), 'cart-bundle-'));
  const db = await startSecantus();
  let svc;
  try {
    const bytes = await bundle(here('../../src/server.js'), join(app, 'server.js'));
    assert.ok(bytes > 100_000 && bytes < 5_000_000, `bundle size ${bytes}`);
    assert.ok(!existsSync(join(app, 'node_modules')));
    svc = await startServiceProcess(join(app, 'server.js'), { MONGODB_URI: db.uri('carts') }, { cwd: app });
    await waitReady(svc.url);
    const created = await fetch(`${svc.url}/api/cart`, { method: 'POST' });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    const put = await fetch(`${svc.url}/api/cart/${id}/items/p-mug`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"quantity":2}' });
    assert.deepEqual(await put.json(), { id, items: [{ productId: 'p-mug', quantity: 2 }] });
    svc.child.kill('SIGTERM');
    assert.equal((await svc.exited).code, 0);
    assert.equal(svc.stderr(), '', 'no warnings on stderr');
  } finally {
    await svc?.stop('SIGKILL');
    await db.kill();
    rmSync(app, { recursive: true, force: true });
  }
});
