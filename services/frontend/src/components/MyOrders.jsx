import { useEffect, useState } from 'react';
import { formatMoney } from '../money.js';
import { orderHref } from '../useHashRoute.js';
import ErrorAlert from './ErrorAlert.jsx';

function asList(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.items)) return body.items;
  if (body && Array.isArray(body.orders)) return body.orders;
  return [];
}

function formatDate(value) {
  const date = value ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-IE', { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export default function MyOrders({ api, cartIds }) {
  const [orders, setOrders] = useState(null);
  const [error, setError] = useState(null);
  const key = cartIds.join(',');

  useEffect(() => {
    let live = true;
    setOrders(null);
    setError(null);
    Promise.all(cartIds.map((cartId) => api.listOrders(cartId).then(asList)))
      .then((lists) => {
        if (!live) return;
        const byId = new Map();
        for (const order of lists.flat()) byId.set(order.id, order);
        const all = [...byId.values()].sort((a, b) =>
          String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')),
        );
        setOrders(all);
      })
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  return (
    <section className="orders" data-testid="my-orders" aria-labelledby="orders-heading">
      <h2 id="orders-heading">My orders</h2>
      {error ? <ErrorAlert error={error} /> : null}
      {!error && orders === null ? <p aria-busy="true">Loading orders…</p> : null}
      {orders && orders.length === 0 ? <p className="muted">You have not ordered anything yet.</p> : null}
      {orders && orders.length > 0 ? (
        <ul className="orders__list">
          {orders.map((order) => (
            <li key={order.id} data-testid={`my-order-${order.id}`}>
              <a href={orderHref(order.id)}>Order {order.id}</a>
              <span className="muted"> {formatDate(order.createdAt)}</span>
              <span> · {order.status}</span>
              <span> · {formatMoney(order.total, order.currency)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="#/">Back to the shop</a>
      </p>
    </section>
  );
}
