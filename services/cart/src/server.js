// Entry point of the cart service (also the esbuild bundle's entry: dist/server.js).
import { runService } from '@shopfront/node-kit';
import { SERVICE, buildApp } from './app.js';
import { createCarts } from './carts.js';
import { readConfig } from './config.js';

runService({
  service: SERVICE,
  readConfig,
  build: ({ logger, mongo, ready }) => buildApp({ logger, carts: createCarts(mongo.db), ready }),
  initName: 'start-up (indexes)',
  init: async ({ mongo }) => createCarts(mongo.db).ensureIndexes(),
});
