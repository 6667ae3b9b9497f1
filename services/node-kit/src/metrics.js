// Prometheus metrics: http_requests_total and http_request_duration_seconds, labelled with the
// route template (never the raw path; "unmatched" for unknown paths), plus the default process
// metrics. One registry per app, so tests can build several apps in one process.
import client from 'prom-client';

export const UNMATCHED_ROUTE = 'unmatched';
const LABELS = ['method', 'route', 'status'];

export function createMetrics({ service, defaultMetrics = true } = {}) {
  const registry = new client.Registry();
  if (service) registry.setDefaultLabels({ service });
  if (defaultMetrics) client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    contentType: registry.contentType,
    observe({ method, route, status, seconds }) {
      const labels = { method, route: route || UNMATCHED_ROUTE, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    text: () => registry.metrics(),
  };
}
