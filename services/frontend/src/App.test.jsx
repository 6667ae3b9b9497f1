import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App.jsx';
import { createApi } from './api.js';
import { formatMoney } from './money.js';
import { fakeFetch } from './test/fakeFetch.js';

function renderApp(options) {
  const backend = fakeFetch(options);
  const api = createApi({ fetchImpl: backend.fetch });
  const user = userEvent.setup();
  render(<App api={api} />);
  return { ...backend, user };
}

const mutations = (calls) => calls().filter((c) => c.method !== 'GET');

describe('money', () => {
  it('formats integer cents as EUR', () => {
    expect(formatMoney(1850, 'EUR')).toBe('€18.50');
    expect(formatMoney(0)).toBe('€0.00');
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
  });
});

describe('product list', () => {
  it('renders every product with its price and an add button', async () => {
    const { calls } = renderApp();
    const card = await screen.findByTestId('product-p-espresso');
    expect(within(card).getByText('Espresso beans')).toBeInTheDocument();
    expect(within(card).getByText('€18.50')).toBeInTheDocument();
    expect(screen.getByTestId('product-p-grinder')).toBeInTheDocument();
    expect(screen.getByTestId('add-p-mug')).toHaveTextContent('Add to cart');
    expect(calls()[0]).toMatchObject({ method: 'GET', url: '/api/products' });
    expect(calls()[0].headers['X-Request-Id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByTestId('place-order')).toBeDisabled();
  });

  it('shows a failed product load in an alert and retries', async () => {
    let fail = true;
    const { user } = renderApp({
      overrides: {
        'GET /api/products': () => (fail ? { status: 503, body: { message: 'catalogue is down' } } : null),
      },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('catalogue is down');
    expect(screen.queryByTestId('product-p-mug')).not.toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('product-p-mug')).toBeInTheDocument();
  });
});

describe('cart', () => {
  it('creates the cart lazily on the first add, then updates quantities', async () => {
    const { user, calls } = renderApp();
    expect(localStorage.getItem('shopfront.cartId')).toBeNull();
    await user.click(await screen.findByTestId('add-p-espresso'));
    const line = await screen.findByTestId('cart-line-p-espresso');
    expect(within(line).getByTestId('cart-qty-p-espresso')).toHaveTextContent('1');

    const cartId = localStorage.getItem('shopfront.cartId');
    expect(cartId).toBeTruthy();
    expect(mutations(calls).map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/cart', undefined],
      ['PUT', `/api/cart/${cartId}/items/p-espresso`, { quantity: 1 }],
    ]);

    await user.click(screen.getByTestId('add-p-espresso'));
    await waitFor(() => expect(screen.getByTestId('cart-qty-p-espresso')).toHaveTextContent('2'));
    await user.click(screen.getByRole('button', { name: 'Add one Espresso beans' }));
    await waitFor(() => expect(screen.getByTestId('cart-qty-p-espresso')).toHaveTextContent('3'));
    expect(screen.getByTestId('cart-subtotal')).toHaveTextContent('€55.50');
    // one cart only
    expect(calls().filter((c) => c.method === 'POST' && c.url === '/api/cart')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Remove Espresso beans from cart' }));
    await waitFor(() => expect(screen.queryByTestId('cart-line-p-espresso')).not.toBeInTheDocument());
    expect(calls().at(-1)).toMatchObject({ method: 'DELETE', url: `/api/cart/${cartId}/items/p-espresso` });
  });

  it('restores the cart kept in localStorage', async () => {
    const backend = fakeFetch();
    const api = createApi({ fetchImpl: backend.fetch });
    const cart = (await api.createCart()).id;
    await api.setCartItem(cart, 'p-mug', 2);
    localStorage.setItem('shopfront.cartId', cart);
    render(<App api={api} />);
    expect(await screen.findByTestId('cart-line-p-mug')).toHaveTextContent('Mug');
    expect(screen.getByTestId('cart-qty-p-mug')).toHaveTextContent('2');
    expect(backend.calls().some((c) => c.method === 'GET' && c.url === `/api/cart/${cart}`)).toBe(true);
  });

  it('forgets a stored cart that no longer exists and makes a new one on the next add', async () => {
    localStorage.setItem('shopfront.cartId', 'gone');
    const { user, calls } = renderApp();
    await waitFor(() => expect(localStorage.getItem('shopfront.cartId')).toBeNull());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(await screen.findByTestId('add-p-mug'));
    await screen.findByTestId('cart-line-p-mug');
    expect(localStorage.getItem('shopfront.cartId')).not.toBe('gone');
    expect(calls().filter((c) => c.url === '/api/cart' && c.method === 'POST')).toHaveLength(1);
  });

  it('shows the API message of a rejected add in an alert', async () => {
    const { user } = renderApp({
      overrides: { 'POST /api/cart': { status: 429, body: { message: 'Too many carts, slow down' } } },
    });
    await user.click(await screen.findByTestId('add-p-mug'));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many carts, slow down');
    expect(screen.queryByTestId('cart-line-p-mug')).not.toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('ordering', () => {
  it('places an order and shows the confirmation with lines and the EUR total', async () => {
    const { user, calls, state } = renderApp();
    await user.click(await screen.findByTestId('add-p-espresso'));
    await screen.findByTestId('cart-line-p-espresso');
    await user.click(screen.getByTestId('add-p-grinder'));
    await screen.findByTestId('cart-line-p-grinder');
    await user.click(screen.getByTestId('add-p-grinder'));
    await waitFor(() => expect(screen.getByTestId('cart-qty-p-grinder')).toHaveTextContent('2'));
    const cartId = localStorage.getItem('shopfront.cartId');

    await user.click(screen.getByTestId('place-order'));
    const confirmation = await screen.findByTestId('order-confirmation');
    const [order] = [...state.orders.values()];
    expect(confirmation).toHaveAttribute('data-order-id', order.id);
    expect(within(confirmation).getByTestId('order-id')).toHaveTextContent(order.id);
    expect(screen.getByTestId('order-total')).toHaveTextContent('€118.48');
    expect(within(screen.getByTestId('order-line-p-grinder')).getByText('€99.98')).toBeInTheDocument();
    expect(window.location.hash).toBe(`#/orders/${order.id}`);

    const post = calls().find((c) => c.method === 'POST' && c.url === '/api/orders');
    expect(post.body).toEqual({
      cartId,
      items: [
        { productId: 'p-espresso', quantity: 1 },
        { productId: 'p-grinder', quantity: 2 },
      ],
    });
    // the ordered cart is released; the next add starts a new one
    expect(localStorage.getItem('shopfront.cartId')).toBeNull();
    await waitFor(() => expect(calls().some((c) => c.method === 'DELETE' && c.url === `/api/cart/${cartId}`)).toBe(true));
    expect(JSON.parse(localStorage.getItem('shopfront.orderedCartIds'))).toEqual([cartId]);
  });

  it('keeps the cart and shows the alert when the order is rejected', async () => {
    const { user } = renderApp({
      overrides: { 'POST /api/orders': { status: 409, body: { message: 'Grinder is out of stock' } } },
    });
    await user.click(await screen.findByTestId('add-p-grinder'));
    await screen.findByTestId('cart-line-p-grinder');
    await user.click(screen.getByTestId('place-order'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Grinder is out of stock');
    expect(screen.queryByTestId('order-confirmation')).not.toBeInTheDocument();
    expect(screen.getByTestId('cart-line-p-grinder')).toBeInTheDocument();
    expect(localStorage.getItem('shopfront.cartId')).toBeTruthy();
  });

  it('lists past orders under My orders and opens one by its link', async () => {
    const { user, calls } = renderApp();
    for (const id of ['p-mug', 'p-espresso']) {
      await user.click(await screen.findByTestId(`add-${id}`));
      await screen.findByTestId(`cart-line-${id}`);
      await user.click(screen.getByTestId('place-order'));
      await screen.findByTestId('order-confirmation');
      await user.click(screen.getByRole('link', { name: 'Continue shopping' }));
    }
    await user.click(screen.getAllByRole('link', { name: 'My orders' })[0]);
    const list = await screen.findByTestId('my-orders');
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(list).toHaveTextContent('€12.00');
    expect(list).toHaveTextContent('€18.50');
    expect(calls().filter((c) => c.url.startsWith('/api/orders?cartId=')).length).toBeGreaterThanOrEqual(2);

    const first = within(list).getAllByRole('link')[0];
    await user.click(first);
    const view = await screen.findByTestId('order-confirmation');
    expect(first.textContent).toContain(view.getAttribute('data-order-id'));
  });

  it('loads an order from the API when opened by its URL', async () => {
    const backend = fakeFetch();
    const api = createApi({ fetchImpl: backend.fetch });
    const cart = (await api.createCart()).id;
    await api.setCartItem(cart, 'p-mug', 3);
    const order = await api.placeOrder(cart, [{ productId: 'p-mug', quantity: 3 }]);
    window.location.hash = `#/orders/${order.id}`;
    render(<App api={api} />);
    const view = await screen.findByTestId('order-confirmation');
    expect(view).toHaveAttribute('data-order-id', order.id);
    expect(screen.getByTestId('order-total')).toHaveTextContent('€36.00');
    expect(backend.calls().some((c) => c.url === `/api/orders/${order.id}`)).toBe(true);
  });

  it('shows an alert for an unknown order id', async () => {
    window.location.hash = '#/orders/nope';
    renderApp();
    expect(await screen.findByRole('alert')).toHaveTextContent('order nope not found');
  });
});
