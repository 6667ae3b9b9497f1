"""Client of the product API: GET {PRODUCT_API_URL}/api/products/{id}, X-Request-Id forwarded."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from .request_id import REQUEST_ID_HEADER, current_request_id

log = logging.getLogger("order.products")


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    price: int  # minor units
    currency: str


class UnknownProduct(Exception):
    def __init__(self, product_id: str) -> None:
        super().__init__(f"unknown product {product_id}")
        self.product_id = product_id


class ProductApiUnavailable(Exception):
    """Unreachable, timed out, 5xx or an answer that is not a product."""


def parse_product(product_id: str, data: object) -> Product:
    if not isinstance(data, dict):
        raise ProductApiUnavailable(f"product API returned a non-object for {product_id}")
    name, price, currency = data.get("name"), data.get("price"), data.get("currency")
    if not isinstance(name, str) or not isinstance(currency, str) or not currency:
        raise ProductApiUnavailable(f"product API returned no name/currency for {product_id}")
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        raise ProductApiUnavailable(f"product API returned an invalid price for {product_id}")
    return Product(id=product_id, name=name, price=price, currency=currency)


class ProductClient:
    def __init__(self, base_url: str, timeout_s: float, client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), follow_redirects=False,
                                                   headers={"Accept": "application/json"})

    def url_for(self, product_id: str) -> str:
        return f"{self.base_url}/api/products/{quote(product_id, safe='')}"

    async def get(self, product_id: str) -> Product:
        headers = {}
        request_id = current_request_id()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        url = self.url_for(product_id)
        try:
            async with asyncio.timeout(self.timeout_s):  # total, not per phase
                response = await self._client.get(url, headers=headers)
        except (TimeoutError, httpx.TimeoutException) as err:
            raise ProductApiUnavailable(f"product API timed out after {self.timeout_s:g}s") from err
        except httpx.HTTPError as err:
            raise ProductApiUnavailable(f"product API unreachable: {type(err).__name__}: {err}") from err
        if response.status_code in (400, 404, 410):  # the product API says this id is not a product
            raise UnknownProduct(product_id)
        if response.status_code != 200:  # 5xx, but also 3xx/401/403/429: nothing the client can fix
            raise ProductApiUnavailable(f"product API answered {response.status_code} for {product_id}")
        try:
            data = response.json()
        except ValueError as err:
            raise ProductApiUnavailable(f"product API returned invalid JSON for {product_id}") from err
        return parse_product(product_id, data)

    async def get_many(self, product_ids: list[str]) -> dict[str, Product]:
        """All products at once; ProductApiUnavailable wins over UnknownProduct (which lists every unknown id)."""
        unique = list(dict.fromkeys(product_ids))
        results = await asyncio.gather(*(self.get(pid) for pid in unique), return_exceptions=True)
        products: dict[str, Product] = {}
        unknown: list[str] = []
        for pid, result in zip(unique, results, strict=True):
            if isinstance(result, ProductApiUnavailable):
                raise result
            if isinstance(result, UnknownProduct):
                unknown.append(pid)
            elif isinstance(result, BaseException):
                raise result
            else:
                products[pid] = result
        if unknown:
            raise UnknownProducts(unknown)
        return products

    async def aclose(self) -> None:
        await self._client.aclose()


class UnknownProducts(Exception):
    def __init__(self, product_ids: list[str]) -> None:
        super().__init__("unknown product" + ("s " if len(product_ids) > 1 else " ") + ", ".join(product_ids))
        self.product_ids = product_ids
