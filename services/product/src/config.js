// Product settings: the shared ones (PORT, MONGODB_URI, LOG_LEVEL, SHUTDOWN_TIMEOUT_MS) plus
// PRODUCT_SEED (true) and PRODUCT_SEED_FILE (seed/products.json next to the app).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boolVar, commonConfig } from '@shopfront/node-kit';

/**
 * The default seed file: seed/products.json beside the running file (the image: /app/server.js
 * and /app/seed/) or one level up (src/server.js or dist/server.js in the source tree).
 */
export function defaultSeedFile(here = dirname(fileURLToPath(import.meta.url))) {
  const candidates = [join(here, 'seed', 'products.json'), join(here, '..', 'seed', 'products.json')];
  return candidates.find((f) => existsSync(f)) || candidates[1];
}

export function readConfig(env) {
  return {
    ...commonConfig(env),
    seed: boolVar(env, 'PRODUCT_SEED', { fallback: true }),
    seedFile: env.PRODUCT_SEED_FILE ? resolve(env.PRODUCT_SEED_FILE) : defaultSeedFile(),
  };
}
