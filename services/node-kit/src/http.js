// The Fastify app every API service starts from: request ids, one JSON log line per request,
// metrics by route template, /health /ready /metrics, JSON errors, 404 and 405.
import Fastify, { LogController } from 'fastify';
import { toErrorResponse } from './errors.js';
import { createMetrics } from './metrics.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A RegExp matching the concrete paths of a Fastify route template (`/api/cart/:id`). */
export function templateToRegExp(template) {
  const pattern = template
    .split('/')
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

/** Rejects after `ms` with a message (the timer is cleared as soon as `promise` settles). */
export function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  // The losing promise must not turn into an unhandled rejection.
  Promise.resolve(promise).catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * createHttpApp({service, logger, ready, readyTimeoutMs, metrics, bodyLimit}) -> Fastify app.
 * `ready()` resolves when the service can serve (e.g. MongoDB answers ping) and rejects with the
 * reason otherwise. `app.shopfront.state.shuttingDown = true` turns /ready into 503.
 */
export function createHttpApp({
  service,
  logger,
  ready = async () => {},
  readyTimeoutMs = 1000,
  metrics = createMetrics({ service }),
  bodyLimit = 64 * 1024,
}) {
  const app = Fastify({
    loggerInstance: logger,
    // Fastify's own per-request lines are replaced by one 'request completed' line (onResponse).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: requestIdFor,
    bodyLimit,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: {
        allErrors: true,
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: true,
      },
    },
  });

  const state = { shuttingDown: false };
  const routes = []; // {method, regexp, template} of every registered route, for 405
  app.decorate('shopfront', { state, metrics, routes });

  app.addHook('onRoute', (opts) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const method of methods) routes.push({ method, template: opts.url, regexp: templateToRegExp(opts.url) });
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.shopfrontRoute || request.routeOptions?.url || undefined;
    const status = reply.statusCode;
    const durationMs = Math.round(reply.elapsedTime * 1000) / 1000;
    metrics.observe({ method: request.method, route, status, seconds: durationMs / 1000 });
    const level = status >= 500 ? 'error' : 'info';
    request.log[level]({ method: request.method, route: route || 'unmatched', status, durationMs }, 'request completed');
  });

  app.setErrorHandler((err, request, reply) => {
    const { statusCode, body, log } = toErrorResponse(err);
    if (log === 'error') request.log.error({ err }, 'request failed');
    else if (log === 'warn') request.log.warn({ error: { type: err.name, message: err.message } }, 'request failed: database unavailable');
    reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const matching = routes.filter((r) => r.regexp.test(path));
    if (matching.length > 0) {
      const allow = METHODS.filter((m) => matching.some((r) => r.method === m));
      request.shopfrontRoute = matching[0].template;
      reply
        .code(405)
        .header('allow', allow.join(', '))
        .send({ message: `method ${request.method} not allowed on ${path}; allowed: ${allow.join(', ')}` });
      return;
    }
    reply.code(404).send({ message: `no route for ${request.method} ${path}` });
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (request, reply) => {
    if (state.shuttingDown) return reply.code(503).send({ status: 'unavailable', reason: 'shutting down' });
    try {
      await withTimeout(ready(), readyTimeoutMs, `readiness check timed out after ${readyTimeoutMs} ms`);
      return { status: 'ready' };
    } catch (err) {
      const reason = err?.message || String(err);
      request.log.warn({ reason }, 'not ready');
      return reply.code(503).send({ status: 'unavailable', reason });
    }
  });

  app.get('/metrics', async (request, reply) => {
    reply.type(metrics.contentType);
    return metrics.text();
  });

  return app;
}
