// The product API on top of the shared kit: GET /api/products, GET /api/products/:id.
import { createHttpApp, httpError } from '@shopfront/node-kit';
import { idParams, productSchema } from './schemas.js';

export const SERVICE = 'product';

/** buildApp({logger, catalogue, ready, ...}): the Fastify app; `catalogue` has list() and get(id). */
export function buildApp({ logger, catalogue, ready, readyTimeoutMs, metrics }) {
  const app = createHttpApp({ service: SERVICE, logger, ready, readyTimeoutMs, metrics });

  app.get(
    '/api/products',
    { schema: { response: { 200: { type: 'array', items: productSchema } } } },
    async () => catalogue.list(),
  );

  app.get(
    '/api/products/:id',
    { schema: { params: idParams, response: { 200: productSchema } } },
    async (request) => {
      const product = await catalogue.get(request.params.id);
      if (!product) throw httpError(404, `product ${request.params.id} not found`);
      return product;
    },
  );

  return app;
}
