import { useEffect, useState } from 'react';

// Hash routes, no router library: #/ (shop), #/orders (my orders), #/orders/<id> (one order).
export function parseRoute(hash) {
  const path = (hash || '').replace(/^#/, '') || '/';
  const order = path.match(/^\/orders\/([^/]+)\/?$/);
  if (order) return { name: 'order', orderId: decodeURIComponent(order[1]) };
  if (/^\/orders\/?$/.test(path)) return { name: 'orders' };
  return { name: 'shop' };
}

export function orderHref(orderId) {
  return `#/orders/${encodeURIComponent(orderId)}`;
}

export function useHashRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = (hash) => {
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(parseRoute(hash));
  };
  return [route, navigate];
}
