// The cart API on top of the shared kit.
//   POST   /api/cart                          -> 201 {id, items: []}
//   GET    /api/cart/:id                      -> 200 cart | 404
//   PUT    /api/cart/:id/items/:productId     {quantity: 1..99} -> 200 cart | 404
//   DELETE /api/cart/:id/items/:productId     -> 200 cart | 404
//   DELETE /api/cart/:id                      -> 204 | 404
import { createHttpApp, httpError } from '@shopfront/node-kit';
import { cartParams, cartSchema, itemParams, quantityBody } from './schemas.js';

export const SERVICE = 'cart';

const notFound = (id) => httpError(404, `cart ${id} not found`);

/** buildApp({logger, carts, ready, ...}): the Fastify app over a carts store (see carts.js). */
export function buildApp({ logger, carts, ready, readyTimeoutMs, metrics }) {
  const app = createHttpApp({ service: SERVICE, logger, ready, readyTimeoutMs, metrics });
  const cartReply = { 200: cartSchema };

  app.post('/api/cart', { schema: { response: { 201: cartSchema } } }, async (request, reply) => {
    const cart = await carts.create();
    request.log.info({ cartId: cart.id }, 'cart created');
    return reply.code(201).send(cart);
  });

  app.get('/api/cart/:id', { schema: { params: cartParams, response: cartReply } }, async (request) => {
    const cart = await carts.get(request.params.id);
    if (!cart) throw notFound(request.params.id);
    return cart;
  });

  app.put(
    '/api/cart/:id/items/:productId',
    { schema: { params: itemParams, body: quantityBody, response: cartReply } },
    async (request) => {
      const { id, productId } = request.params;
      const cart = await carts.setItem(id, productId, request.body.quantity);
      if (!cart) throw notFound(id);
      return cart;
    },
  );

  app.delete('/api/cart/:id/items/:productId', { schema: { params: itemParams, response: cartReply } }, async (request) => {
    const { id, productId } = request.params;
    const cart = await carts.removeItem(id, productId);
    if (!cart) throw notFound(id);
    return cart;
  });

  app.delete('/api/cart/:id', { schema: { params: cartParams } }, async (request, reply) => {
    if (!(await carts.remove(request.params.id))) throw notFound(request.params.id);
    return reply.code(204).send();
  });

  return app;
}
