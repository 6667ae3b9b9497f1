"""In-memory stand-ins for the MongoDB store and the product API client (unit tests only)."""

from order.config import Settings
from order.errors import DatabaseUnavailable
from order.products import Product, ProductApiUnavailable, UnknownProducts

SETTINGS = Settings(port=8080, mongodb_uri="mongodb://u:pw@db/orders", mongodb_db="orders",
                    mongodb_uri_redacted="mongodb://u:***@db/orders", product_api_url="http://product:8080")

PRODUCTS = {
    "p-espresso": Product("p-espresso", "Espresso beans", 1850, "EUR"),
    "p-mug": Product("p-mug", "Mug", 1200, "EUR"),
    "p-usd": Product("p-usd", "Dollar thing", 100, "USD"),
}


class FakeStore:
    def __init__(self):
        self.orders = {}
        self.down = False
        self.ping_error = None
        self.fail_indexes = 0
        self.index_calls = 0
        self.closed = False
        self.boom = None

    def _check(self):
        if self.boom:
            raise self.boom
        if self.down:
            raise DatabaseUnavailable("ServerSelectionTimeoutError: down")

    async def ensure_indexes(self):
        self.index_calls += 1
        if self.fail_indexes:
            self.fail_indexes -= 1
            raise RuntimeError("no database")

    async def insert(self, order):
        self._check()
        self.orders[order["id"]] = dict(order)

    async def get(self, order_id):
        self._check()
        return self.orders.get(order_id)

    async def list_by_cart(self, cart_id, limit=100):
        self._check()
        return [o for o in self.orders.values() if o["cartId"] == cart_id][:limit]

    async def ping(self, timeout_s=1.0):
        if self.ping_error:
            raise self.ping_error

    async def close(self):
        self.closed = True


class FakeCatalog:
    def __init__(self):
        self.down = False
        self.calls = []
        self.closed = False

    async def get_many(self, ids):
        self.calls.append(list(ids))
        if self.down:
            raise ProductApiUnavailable("product API unreachable: ConnectError")
        unknown = [i for i in ids if i not in PRODUCTS]
        if unknown:
            raise UnknownProducts(unknown)
        return {i: PRODUCTS[i] for i in ids}

    async def aclose(self):
        self.closed = True
