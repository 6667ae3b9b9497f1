import { formatMoney } from '../money.js';

export default function ProductList({ products, onAdd, disabled, pendingProductId }) {
  if (products.length === 0) {
    return <p className="muted">No products are on sale right now.</p>;
  }
  return (
    <ul className="products" data-testid="products" aria-label="Products">
      {products.map((product) => (
        <li key={product.id} className="card" data-testid={`product-${product.id}`}>
          {product.imageUrl ? (
            <img className="card__image" src={product.imageUrl} alt="" loading="lazy" />
          ) : null}
          <h3 className="card__title">{product.name}</h3>
          {product.description ? <p className="card__text">{product.description}</p> : null}
          <p className="card__price">{formatMoney(product.price, product.currency)}</p>
          <button
            type="button"
            className="button"
            data-testid={`add-${product.id}`}
            onClick={() => onAdd(product.id)}
            disabled={disabled}
            aria-label={`Add ${product.name} to cart`}
          >
            {pendingProductId === product.id ? 'Adding…' : 'Add to cart'}
          </button>
        </li>
      ))}
    </ul>
  );
}
