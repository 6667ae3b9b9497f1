import { formatMoney } from '../money.js';

export default function OrderLines({ order }) {
  const currency = order.currency || 'EUR';
  return (
    <table className="order-lines">
      <caption className="visually-hidden">Order lines</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col" className="num">Unit price</th>
          <th scope="col" className="num">Quantity</th>
          <th scope="col" className="num">Line total</th>
        </tr>
      </thead>
      <tbody>
        {(order.items ?? []).map((line) => (
          <tr key={line.productId} data-testid={`order-line-${line.productId}`}>
            <td>{line.name ?? line.productId}</td>
            <td className="num">{formatMoney(line.unitPrice, currency)}</td>
            <td className="num">{line.quantity}</td>
            <td className="num">{formatMoney(line.lineTotal, currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="num" data-testid="order-total">
            {formatMoney(order.total, currency)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
