import { formatMoney } from '../money.js';

export default function CartPanel({ cart, productsById, busy, placing, onSetQuantity, onPlaceOrder }) {
  const items = cart?.items ?? [];
  const currency = items.map((i) => productsById.get(i.productId)?.currency).find(Boolean) || 'EUR';
  const known = items.every((i) => productsById.has(i.productId));
  const subtotal = items.reduce(
    (sum, i) => sum + (productsById.get(i.productId)?.price ?? 0) * i.quantity,
    0,
  );
  return (
    <aside className="cart" aria-labelledby="cart-heading" data-testid="cart">
      <h2 id="cart-heading">Your cart</h2>
      {items.length === 0 ? (
        <p className="muted" data-testid="cart-empty">Your cart is empty.</p>
      ) : (
        <ul className="cart__lines">
          {items.map((item) => {
            const product = productsById.get(item.productId);
            const name = product?.name ?? item.productId;
            return (
              <li key={item.productId} className="cart__line" data-testid={`cart-line-${item.productId}`}>
                <span className="cart__name">{name}</span>
                <span className="cart__qty">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Remove one ${name}`}
                    disabled={busy}
                    onClick={() => onSetQuantity(item.productId, item.quantity - 1)}
                  >
                    −
                  </button>
                  <span data-testid={`cart-qty-${item.productId}`} aria-label={`Quantity of ${name}`}>
                    {item.quantity}
                  </span>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Add one ${name}`}
                    disabled={busy}
                    onClick={() => onSetQuantity(item.productId, item.quantity + 1)}
                  >
                    +
                  </button>
                </span>
                <span className="cart__price">
                  {product ? formatMoney(product.price * item.quantity, product.currency) : ''}
                </span>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-label={`Remove ${name} from cart`}
                  disabled={busy}
                  onClick={() => onSetQuantity(item.productId, 0)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {items.length > 0 && known ? (
        <p className="cart__subtotal">
          Subtotal <strong data-testid="cart-subtotal">{formatMoney(subtotal, currency)}</strong>
        </p>
      ) : null}
      <button
        type="button"
        className="button button--primary"
        data-testid="place-order"
        disabled={busy || items.length === 0}
        onClick={onPlaceOrder}
      >
        {placing ? 'Placing order…' : 'Place order'}
      </button>
    </aside>
  );
}
