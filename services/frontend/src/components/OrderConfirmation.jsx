import { useEffect, useRef, useState } from 'react';
import OrderLines from './OrderLines.jsx';
import ErrorAlert from './ErrorAlert.jsx';

export default function OrderConfirmation({ api, orderId, initialOrder }) {
  const preset = initialOrder && String(initialOrder.id) === orderId ? initialOrder : null;
  const [order, setOrder] = useState(preset);
  const [error, setError] = useState(null);
  const heading = useRef(null);

  useEffect(() => {
    if (preset) return undefined;
    let live = true;
    setOrder(null);
    setError(null);
    api.getOrder(orderId).then(
      (found) => live && setOrder(found),
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, orderId]);

  useEffect(() => {
    if (order) heading.current?.focus();
  }, [order]);

  if (error) return <ErrorAlert error={error} />;
  if (!order) return <p aria-busy="true">Loading order…</p>;
  return (
    <section className="confirmation" data-testid="order-confirmation" data-order-id={order.id}>
      <h2 ref={heading} tabIndex={-1}>
        {preset ? 'Thank you, your order is placed' : 'Your order'}
      </h2>
      <p>
        Order <strong data-testid="order-id">{order.id}</strong>
        {order.status ? <> · status <span data-testid="order-status">{order.status}</span></> : null}
      </p>
      <OrderLines order={order} />
      <p>
        <a href="#/">Continue shopping</a> · <a href="#/orders">My orders</a>
      </p>
    </section>
  );
}
