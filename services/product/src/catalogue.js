// The product catalogue in MongoDB: collection `products`, unique index on `id`, seeded by upsert.
import { readFileSync } from 'node:fs';
import { ID_PATTERN } from './schemas.js';

export const COLLECTION = 'products';
const PROJECTION = { _id: 0, id: 1, name: 1, description: 1, price: 1, currency: 1 };

/** Read and check a seed file: an array of products with unique ids. Throws with the reason. */
export function loadSeed(file) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read seed file ${file}: ${err.message}`);
  }
  return checkSeed(data, file);
}

const ID_RE = new RegExp(ID_PATTERN);

/** What is wrong with one seed product (same rules as productSchema), or '' when it is fine. */
export function productProblems(p) {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'not an object';
  const problems = [];
  if (typeof p.id !== 'string' || !ID_RE.test(p.id)) problems.push('id must be 1-64 characters of [A-Za-z0-9._-]');
  if (typeof p.name !== 'string' || p.name.length < 1 || p.name.length > 200) problems.push('name must be a string of 1-200 characters');
  if (typeof p.description !== 'string' || p.description.length > 2000) problems.push('description must be a string of at most 2000 characters');
  if (!Number.isSafeInteger(p.price) || p.price < 0) problems.push('price must be a non-negative integer (minor units)');
  if (typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency)) problems.push('currency must be a 3-letter ISO code');
  const extra = Object.keys(p).filter((k) => !['id', 'name', 'description', 'price', 'currency'].includes(k));
  if (extra.length) problems.push(`unknown fields: ${extra.join(', ')}`);
  return problems.join('; ');
}

export function checkSeed(data, source = 'seed') {
  if (!Array.isArray(data)) throw new Error(`${source}: expected an array of products`);
  const seen = new Set();
  data.forEach((p, i) => {
    const why = productProblems(p);
    if (why) throw new Error(`${source}: product #${i} is invalid: ${why}`);
    if (seen.has(p.id)) throw new Error(`${source}: duplicate product id ${p.id}`);
    seen.add(p.id);
  });
  return data;
}

export function createCatalogue(db) {
  const products = db.collection(COLLECTION);
  return {
    async ensureIndexes() {
      await products.createIndex({ id: 1 }, { unique: true, name: 'id_unique' });
    },
    /** Upsert every product on `id`; returns {upserted, modified}. */
    async seed(items) {
      if (items.length === 0) return { upserted: 0, modified: 0 };
      const result = await products.bulkWrite(
        items.map((p) => ({ replaceOne: { filter: { id: p.id }, replacement: { ...p }, upsert: true } })),
        { ordered: false },
      );
      return { upserted: result.upsertedCount, modified: result.modifiedCount };
    },
    list: () => products.find({}, { projection: PROJECTION }).sort({ id: 1 }).limit(1000).toArray(),
    get: (id) => products.findOne({ id }, { projection: PROJECTION }),
  };
}
