import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkSeed, loadSeed, productProblems } from '../../src/catalogue.js';
import { defaultSeedFile, readConfig } from '../../src/config.js';

const SEED = new URL('../../seed/products.json', import.meta.url);

test('the shipped seed is valid and holds the frontend fake products', () => {
  const products = loadSeed(SEED);
  assert.ok(products.length >= 5);
  const byId = Object.fromEntries(products.map((p) => [p.id, p]));
  assert.deepEqual(byId['p-espresso'], { id: 'p-espresso', name: 'Espresso beans', description: '1 kg, dark roast', price: 1850, currency: 'EUR' });
  assert.deepEqual(byId['p-grinder'], { id: 'p-grinder', name: 'Hand grinder', description: 'Ceramic burrs', price: 4999, currency: 'EUR' });
  assert.deepEqual(byId['p-mug'], { id: 'p-mug', name: 'Mug', description: 'Stoneware, 300 ml', price: 1200, currency: 'EUR' });
});

test('productProblems names each broken field', () => {
  const ok = { id: 'a', name: 'A', description: '', price: 0, currency: 'EUR' };
  assert.equal(productProblems(ok), '');
  assert.match(productProblems({ ...ok, id: 'a b' }), /id must be/);
  assert.match(productProblems({ ...ok, name: '' }), /name must be/);
  assert.match(productProblems({ ...ok, description: 3 }), /description must be/);
  assert.match(productProblems({ ...ok, price: 12.5 }), /price must be a non-negative integer/);
  assert.match(productProblems({ ...ok, price: -1 }), /price/);
  assert.match(productProblems({ ...ok, currency: 'eur' }), /currency/);
  assert.match(productProblems({ ...ok, colour: 'red' }), /unknown fields: colour/);
  assert.equal(productProblems(null), 'not an object');
  assert.equal(productProblems([]), 'not an object');
});

test('checkSeed and loadSeed reject bad files with the reason', () => {
  assert.throws(() => checkSeed({}), /expected an array/);
  const p = { id: 'a', name: 'A', description: '', price: 1, currency: 'EUR' };
  assert.throws(() => checkSeed([p, p]), /duplicate product id a/);
  assert.throws(() => checkSeed([{ ...p, price: '1' }], 'f.json'), /f.json: product #0 is invalid: price/);
  const dir = mkdtempSync(join(tmpdir(), 'seed-'));
  writeFileSync(join(dir, 'bad.json'), '[{');
  assert.throws(() => loadSeed(join(dir, 'bad.json')), /cannot read seed file/);
  assert.throws(() => loadSeed(join(dir, 'missing.json')), /cannot read seed file/);
});

test('readConfig: PRODUCT_SEED and PRODUCT_SEED_FILE', () => {
  const base = { MONGODB_URI: 'mongodb://h/products' };
  const c = readConfig(base);
  assert.equal(c.seed, true);
  assert.match(c.seedFile, /seed\/products\.json$/);
  assert.equal(readConfig({ ...base, PRODUCT_SEED: 'false' }).seed, false);
  assert.equal(readConfig({ ...base, PRODUCT_SEED_FILE: '/x/y.json' }).seedFile, '/x/y.json');
  assert.throws(() => readConfig({ ...base, PRODUCT_SEED: 'nah' }), /PRODUCT_SEED must be true or false/);
});

test('defaultSeedFile: beside the bundle (/app/seed) or one level up (src/, dist/)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'app-'));
  assert.equal(defaultSeedFile(dir), join(dir, '..', 'seed', 'products.json'));
  mkdirSync(join(dir, 'seed'));
  writeFileSync(join(dir, 'seed', 'products.json'), '[]');
  assert.equal(defaultSeedFile(dir), join(dir, 'seed', 'products.json'));
});
