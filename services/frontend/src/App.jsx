import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi } from './api.js';
import { loadCartId, loadOrderedCartIds, rememberOrderedCart, saveCartId } from './storage.js';
import { orderHref, useHashRoute } from './useHashRoute.js';
import ErrorAlert from './components/ErrorAlert.jsx';
import ProductList from './components/ProductList.jsx';
import CartPanel from './components/CartPanel.jsx';
import OrderConfirmation from './components/OrderConfirmation.jsx';
import MyOrders from './components/MyOrders.jsx';

const defaultApi = createApi();

// A cart body from the cart API; an empty body (204) means "ask again".
const isCart = (body) => body && typeof body === 'object' && Array.isArray(body.items);

export default function App({ api = defaultApi }) {
  const [route, navigate] = useHashRoute();
  const [products, setProducts] = useState({ status: 'loading', items: [] });
  const [cart, setCart] = useState(null);
  const [busy, setBusy] = useState(null); // null | { kind: 'add', productId } | { kind: 'qty' } | { kind: 'order' }
  const [error, setError] = useState(null);
  const [lastOrder, setLastOrder] = useState(null);
  const cartRef = useRef(null);
  cartRef.current = cart;

  const loadProducts = useCallback(() => {
    setProducts((p) => ({ ...p, status: 'loading' }));
    api.listProducts().then(
      (items) => setProducts({ status: 'ready', items: Array.isArray(items) ? items : [] }),
      (err) => {
        setProducts({ status: 'error', items: [] });
        setError(err);
      },
    );
  }, [api]);

  useEffect(() => {
    loadProducts();
    const storedId = loadCartId();
    if (!storedId) return;
    api.getCart(storedId).then(
      (found) => setCart(isCart(found) ? found : { id: storedId, items: [] }),
      (err) => {
        // A cart that expired or was deleted: forget it, the next "Add to cart" makes a new one.
        if (err.status === 404) saveCartId(null);
        else setError(err);
      },
    );
  }, [api, loadProducts]);

  const productsById = useMemo(
    () => new Map(products.items.map((p) => [p.id, p])),
    [products.items],
  );

  async function newCart() {
    const created = await api.createCart();
    const fresh = { id: created.id, items: Array.isArray(created.items) ? created.items : [] };
    saveCartId(fresh.id);
    setCart(fresh);
    return fresh;
  }

  async function putQuantity(cartId, productId, quantity) {
    const body =
      quantity > 0
        ? await api.setCartItem(cartId, productId, quantity)
        : await api.removeCartItem(cartId, productId);
    return isCart(body) ? body : api.getCart(cartId);
  }

  async function run(kind, fn) {
    setBusy(kind);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const addToCart = (productId) =>
    run({ kind: 'add', productId }, async () => {
      let current = cartRef.current ?? (await newCart());
      const existing = current.items.find((i) => i.productId === productId)?.quantity ?? 0;
      let updated;
      try {
        updated = await putQuantity(current.id, productId, existing + 1);
      } catch (err) {
        if (err.status !== 404 || !cartRef.current) throw err;
        // The remembered cart is gone on the server: start over with a new one, once.
        saveCartId(null);
        current = await newCart();
        updated = await putQuantity(current.id, productId, 1);
      }
      setCart(updated);
    });

  const setQuantity = (productId, quantity) =>
    run({ kind: 'qty' }, async () => {
      const current = cartRef.current;
      if (!current) return;
      setCart(await putQuantity(current.id, productId, Math.max(0, quantity)));
    });

  const placeOrder = () =>
    run({ kind: 'order' }, async () => {
      const current = cartRef.current;
      if (!current || current.items.length === 0) return;
      const order = await api.placeOrder(current.id, current.items);
      rememberOrderedCart(current.id);
      setLastOrder(order);
      // The cart became an order: the next "Add to cart" starts a new one.
      saveCartId(null);
      setCart(null);
      api.deleteCart(current.id).catch(() => {});
      navigate(orderHref(order.id));
    });

  const itemCount = (cart?.items ?? []).reduce((n, i) => n + i.quantity, 0);

  return (
    <div className="app">
      <header className="header">
        <h1 className="header__title">
          <a href="#/">Shopfront</a>
        </h1>
        <nav aria-label="Main">
          <a href="#/">Shop</a>
          <a href="#/orders">My orders</a>
          <span className="header__count" aria-live="polite">
            {itemCount === 1 ? '1 item in cart' : `${itemCount} items in cart`}
          </span>
        </nav>
      </header>
      <main>
        <ErrorAlert error={error} onDismiss={() => setError(null)} />
        {route.name === 'shop' ? (
          <div className="shop">
            <section aria-labelledby="products-heading" className="shop__products">
              <h2 id="products-heading">Products</h2>
              {products.status === 'loading' ? <p aria-busy="true">Loading products…</p> : null}
              {products.status === 'error' ? (
                <button type="button" className="button" onClick={loadProducts}>
                  Try again
                </button>
              ) : null}
              {products.status === 'ready' ? (
                <ProductList
                  products={products.items}
                  onAdd={addToCart}
                  disabled={busy !== null}
                  pendingProductId={busy?.kind === 'add' ? busy.productId : null}
                />
              ) : null}
            </section>
            <CartPanel
              cart={cart}
              productsById={productsById}
              busy={busy !== null}
              placing={busy?.kind === 'order'}
              onSetQuantity={setQuantity}
              onPlaceOrder={placeOrder}
            />
          </div>
        ) : null}
        {route.name === 'order' ? (
          <OrderConfirmation api={api} orderId={route.orderId} initialOrder={lastOrder} />
        ) : null}
        {route.name === 'orders' ? <MyOrders api={api} cartIds={loadOrderedCartIds()} /> : null}
      </main>
    </div>
  );
}
