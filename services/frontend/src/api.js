// Client for the three Shopfront APIs. They live on the same origin as this page: in the
// cluster the ALB routes /api/products, /api/cart and /api/orders by path to their services.

/** An HTTP error from an API, carrying the status and the message from the response body. */
export class ApiError extends Error {
  constructor(message, { status = 0, requestId = '', body = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.requestId = requestId;
    this.body = body;
  }
}

/**
 * A random v4 UUID. crypto.randomUUID only exists in secure contexts (HTTPS or localhost);
 * crypto.getRandomValues exists everywhere, so plain-HTTP test environments still get ids.
 */
export function newRequestId(cryptoImpl = globalThis.crypto) {
  if (cryptoImpl && typeof cryptoImpl.randomUUID === 'function') {
    return cryptoImpl.randomUUID();
  }
  const bytes = new Uint8Array(16);
  if (cryptoImpl && typeof cryptoImpl.getRandomValues === 'function') {
    cryptoImpl.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The human-readable message of an error response body (JSON or text). */
export function errorMessage(status, body) {
  if (body && typeof body === 'object') {
    for (const key of ['message', 'error', 'detail', 'title']) {
      const value = body[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
      if (value && typeof value === 'object' && typeof value.message === 'string') {
        return value.message;
      }
    }
  }
  if (typeof body === 'string' && body.trim() && body.length <= 300 && !body.trim().startsWith('<')) {
    return body.trim();
  }
  if (status >= 500) return `The service is unavailable right now (HTTP ${status}). Please try again.`;
  return `Request failed (HTTP ${status}).`;
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') || '';
  if (type.includes('json') || /^[[{]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const seg = (value) => encodeURIComponent(String(value));

/**
 * Make an API client. `fetchImpl` and `baseUrl` exist for tests; the app uses the defaults
 * (the global fetch, same origin).
 */
export function createApi({ fetchImpl, baseUrl = '', requestId = newRequestId } = {}) {
  const doFetch = fetchImpl || ((...args) => globalThis.fetch(...args));

  async function request(method, path, body) {
    const id = requestId();
    const headers = { Accept: 'application/json', 'X-Request-Id': id };
    const init = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await doFetch(`${baseUrl}${path}`, init);
    } catch (cause) {
      const error = new ApiError('Cannot reach the shop right now. Check your connection and try again.', {
        requestId: id,
      });
      error.cause = cause;
      throw error;
    }
    const data = await readBody(response);
    if (!response.ok) {
      throw new ApiError(errorMessage(response.status, data), {
        status: response.status,
        requestId: response.headers.get('x-request-id') || id,
        body: data,
      });
    }
    return data;
  }

  return {
    request,
    listProducts: () => request('GET', '/api/products'),
    createCart: () => request('POST', '/api/cart'),
    getCart: (cartId) => request('GET', `/api/cart/${seg(cartId)}`),
    setCartItem: (cartId, productId, quantity) =>
      request('PUT', `/api/cart/${seg(cartId)}/items/${seg(productId)}`, { quantity }),
    removeCartItem: (cartId, productId) =>
      request('DELETE', `/api/cart/${seg(cartId)}/items/${seg(productId)}`),
    deleteCart: (cartId) => request('DELETE', `/api/cart/${seg(cartId)}`),
    placeOrder: (cartId, items) =>
      request('POST', '/api/orders', {
        cartId,
        items: items.map(({ productId, quantity }) => ({ productId, quantity })),
      }),
    getOrder: (orderId) => request('GET', `/api/orders/${seg(orderId)}`),
    listOrders: (cartId) => request('GET', `/api/orders?cartId=${seg(cartId)}`),
  };
}
