// What the browser remembers between visits: the open cart and the carts that became orders
// (so "My orders" can list them with GET /api/orders?cartId=).
const CART_KEY = 'shopfront.cartId';
const ORDERED_CARTS_KEY = 'shopfront.orderedCartIds';
const MAX_ORDERED_CARTS = 20;

function store() {
  try {
    return globalThis.localStorage || null;
  } catch {
    return null; // storage disabled (privacy mode): the app still works for one visit
  }
}

export function loadCartId() {
  return store()?.getItem(CART_KEY) || null;
}

export function saveCartId(cartId) {
  const s = store();
  if (!s) return;
  if (cartId) s.setItem(CART_KEY, cartId);
  else s.removeItem(CART_KEY);
}

export function loadOrderedCartIds() {
  try {
    const ids = JSON.parse(store()?.getItem(ORDERED_CARTS_KEY) || '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string' && id) : [];
  } catch {
    return [];
  }
}

export function rememberOrderedCart(cartId) {
  const s = store();
  if (!s || !cartId) return;
  const ids = [cartId, ...loadOrderedCartIds().filter((id) => id !== cartId)].slice(0, MAX_ORDERED_CARTS);
  s.setItem(ORDERED_CARTS_KEY, JSON.stringify(ids));
}
