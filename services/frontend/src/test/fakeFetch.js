import { vi } from 'vitest';
import { createShopState, handleApi } from '../../e2e/fake-apis.mjs';

/**
 * A fetch mock backed by the in-memory fake of the three APIs (e2e/fake-apis.mjs).
 * `overrides` maps "METHOD /path" (exact, query included) to a {status, body} to return instead,
 * or to a function returning one (or null to let the fake answer).
 */
export function fakeFetch({ overrides = {}, products } = {}) {
  const state = createShopState(products ? { products } : undefined);
  const fetch = vi.fn(async (url, init = {}) => {
    const method = init.method || 'GET';
    const body = init.body ? JSON.parse(init.body) : undefined;
    const path = new URL(url, 'http://localhost').pathname + new URL(url, 'http://localhost').search;
    const override = overrides[`${method} ${path}`];
    // An override (or a function returning one) wins; a function returning null falls through.
    const forced = typeof override === 'function' ? override() : override;
    if (forced) state.log.push({ method, path, body });
    const out = forced || handleApi(state, method, url, body);
    if (out.status === 204 || out.body === null || out.body === undefined) {
      return new Response(null, { status: out.status });
    }
    const isText = typeof out.body === 'string';
    return new Response(isText ? out.body : JSON.stringify(out.body), {
      status: out.status,
      headers: { 'Content-Type': isText ? 'text/plain' : 'application/json' },
    });
  });
  const calls = () =>
    fetch.mock.calls.map(([url, init = {}]) => ({
      method: init.method || 'GET',
      url,
      headers: init.headers || {},
      body: init.body ? JSON.parse(init.body) : undefined,
    }));
  return { fetch, state, calls };
}
