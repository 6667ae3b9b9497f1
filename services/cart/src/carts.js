// Carts in MongoDB: collection `carts`, {id, items: [{productId, quantity}], createdAt, updatedAt};
// unique index on `id`, TTL index on `updatedAt` (a cart expires 7 days after its last change).
import { randomUUID } from 'node:crypto';
import { httpError } from '@shopfront/node-kit';
import { MAX_LINES } from './schemas.js';

export const COLLECTION = 'carts';
export const TTL_SECONDS = 7 * 24 * 60 * 60;
const PROJECTION = { _id: 0, id: 1, items: 1 };
const AFTER = { returnDocument: 'after', projection: PROJECTION };

/** Only the public fields, items as {productId, quantity}. */
export function toCart(doc) {
  return doc && { id: doc.id, items: (doc.items || []).map(({ productId, quantity }) => ({ productId, quantity })) };
}

export function createCarts(db, { now = () => new Date(), newId = randomUUID } = {}) {
  const carts = db.collection(COLLECTION);

  const get = async (id) => toCart(await carts.findOne({ id }, { projection: PROJECTION }));

  return {
    async ensureIndexes() {
      await carts.createIndex({ id: 1 }, { unique: true, name: 'id_unique' });
      await carts.createIndex({ updatedAt: 1 }, { expireAfterSeconds: TTL_SECONDS, name: 'updatedAt_ttl' });
    },

    async create() {
      const at = now();
      const doc = { id: newId(), items: [], createdAt: at, updatedAt: at };
      await carts.insertOne(doc);
      return toCart(doc);
    },

    get,

    /** Set the quantity of one product (adding the line when missing); null when no such cart. */
    async setItem(id, productId, quantity) {
      // Two atomic updates, no read-modify-write: change the existing line, else append one
      // (guarded so that a concurrent append of the same product cannot duplicate the line).
      for (let attempt = 0; attempt < 3; attempt += 1) {
        // arrayFilters rather than the positional `$`: SecantusDB's findAndModify rejects `$`.
        const updated = await carts.findOneAndUpdate(
          { id, 'items.productId': productId },
          { $set: { 'items.$[line].quantity': quantity, updatedAt: now() } },
          { ...AFTER, arrayFilters: [{ 'line.productId': productId }] },
        );
        if (updated) return toCart(updated);
        const appended = await carts.findOneAndUpdate(
          { id, 'items.productId': { $ne: productId }, [`items.${MAX_LINES - 1}`]: { $exists: false } },
          { $push: { items: { productId, quantity } }, $set: { updatedAt: now() } },
          AFTER,
        );
        if (appended) return toCart(appended);
        const current = await get(id);
        if (!current) return null;
        if (!current.items.some((i) => i.productId === productId) && current.items.length >= MAX_LINES) {
          throw httpError(409, `a cart holds at most ${MAX_LINES} different products`);
        }
        // The line appeared between the two updates: go round again.
      }
      throw httpError(409, 'the cart changed concurrently, try again');
    },

    /** Remove one product's line (no-op when absent); null when no such cart. */
    async removeItem(id, productId) {
      return toCart(await carts.findOneAndUpdate({ id }, { $pull: { items: { productId } }, $set: { updatedAt: now() } }, AFTER));
    },

    /** true when a cart was deleted. */
    async remove(id) {
      const { deletedCount } = await carts.deleteOne({ id });
      return deletedCount > 0;
    },
  };
}
