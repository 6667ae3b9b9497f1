import pytest

from order.pricing import MixedCurrencies, price_order
from order.products import Product

P = {
    "a": Product("a", "Espresso beans", 1850, "EUR"),
    "b": Product("b", "Mug", 1200, "EUR"),
    "u": Product("u", "Dollar thing", 100, "USD"),
}


def test_lines_and_total_from_product_prices():
    priced = price_order([("a", 2), ("b", 3)], P)
    assert priced.items == [
        {"productId": "a", "name": "Espresso beans", "unitPrice": 1850, "quantity": 2, "lineTotal": 3700},
        {"productId": "b", "name": "Mug", "unitPrice": 1200, "quantity": 3, "lineTotal": 3600},
    ]
    assert priced.total == 7300
    assert priced.currency == "EUR"


def test_mixed_currencies_are_refused():
    with pytest.raises(MixedCurrencies, match="EUR, USD"):
        price_order([("a", 1), ("u", 1)], P)


def test_missing_product_is_a_key_error():
    with pytest.raises(KeyError):
        price_order([("zzz", 1)], P)
