"""Order lines and totals from the product API's prices (integer minor units); never from the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .products import Product


class MixedCurrencies(Exception):
    pass


@dataclass(frozen=True)
class Priced:
    items: list[dict]
    total: int
    currency: str


def price_order(items: Sequence[tuple[str, int]], products: Mapping[str, Product]) -> Priced:
    """items: (productId, quantity) in request order. KeyError when a product is missing."""
    lines = []
    for product_id, quantity in items:
        product = products[product_id]
        lines.append({
            "productId": product_id,
            "name": product.name,
            "unitPrice": product.price,
            "quantity": quantity,
            "lineTotal": product.price * quantity,
        })
    currencies = sorted({products[pid].currency for pid, _ in items})
    if len(currencies) != 1:
        raise MixedCurrencies(f"the products are priced in different currencies ({', '.join(currencies)})")
    return Priced(items=lines, total=sum(line["lineTotal"] for line in lines), currency=currencies[0])
