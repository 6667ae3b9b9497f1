// Entry point of the product service (also the esbuild bundle's entry: dist/server.js).
import { ConfigError, runService } from '@shopfront/node-kit';
import { SERVICE, buildApp } from './app.js';
import { createCatalogue, loadSeed } from './catalogue.js';
import { readConfig } from './config.js';

runService({
  service: SERVICE,
  readConfig: (env) => {
    const config = readConfig(env);
    // A broken seed file is a deployment error: fail at start-up like a bad variable.
    try {
      config.products = config.seed ? loadSeed(config.seedFile) : [];
    } catch (err) {
      throw new ConfigError('PRODUCT_SEED_FILE', err.message);
    }
    return config;
  },
  build: ({ logger, mongo, ready }) => buildApp({ logger, catalogue: createCatalogue(mongo.db), ready }),
  initName: 'start-up (indexes, seed)',
  init: async ({ config, logger, mongo }) => {
    const catalogue = createCatalogue(mongo.db);
    await catalogue.ensureIndexes();
    if (config.seed) {
      const result = await catalogue.seed(config.products);
      logger.info({ file: config.seedFile, products: config.products.length, ...result }, 'catalogue seeded');
    }
  },
});
