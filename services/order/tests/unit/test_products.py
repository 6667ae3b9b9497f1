import asyncio

import httpx
import pytest

from order.products import ProductApiUnavailable, ProductClient, UnknownProduct, UnknownProducts, parse_product
from order.request_id import request_id_var

ESPRESSO = {"id": "p-espresso", "name": "Espresso beans", "price": 1850, "currency": "EUR"}


def client_with(handler, timeout_s=2.0):
    return ProductClient("http://product:8080/", timeout_s, httpx.AsyncClient(transport=httpx.MockTransport(handler)))


async def test_get_parses_product_and_forwards_request_id():
    seen = {}

    def handler(request):
        seen["url"] = str(request.url)
        seen["rid"] = request.headers.get("x-request-id")
        return httpx.Response(200, json=ESPRESSO)

    token = request_id_var.set("rid-42")
    try:
        product = await client_with(handler).get("p-espresso")
    finally:
        request_id_var.reset(token)
    assert (product.name, product.price, product.currency) == ("Espresso beans", 1850, "EUR")
    assert seen == {"url": "http://product:8080/api/products/p-espresso", "rid": "rid-42"}


async def test_ids_are_path_escaped():
    seen = {}

    def handler(request):
        seen["path"] = request.url.raw_path
        return httpx.Response(404)

    with pytest.raises(UnknownProduct):
        await client_with(handler).get("../admin?x=1")
    assert seen["path"] == b"/api/products/..%2Fadmin%3Fx%3D1"


@pytest.mark.parametrize("status", [404, 400, 410])
async def test_not_a_product(status):
    with pytest.raises(UnknownProduct):
        await client_with(lambda r: httpx.Response(status, json={"message": "nope"})).get("x")


@pytest.mark.parametrize("status", [500, 502, 503, 401, 429, 302])
async def test_server_errors_mean_unavailable(status):
    with pytest.raises(ProductApiUnavailable, match=str(status)):
        await client_with(lambda r: httpx.Response(status)).get("x")


async def test_connection_error_means_unavailable():
    def handler(request):
        raise httpx.ConnectError("connection refused")

    with pytest.raises(ProductApiUnavailable, match="unreachable"):
        await client_with(handler).get("x")


async def test_timeout_is_total():
    async def handler(request):
        await asyncio.sleep(1)
        return httpx.Response(200, json=ESPRESSO)

    with pytest.raises(ProductApiUnavailable, match="timed out"):
        await client_with(handler, timeout_s=0.05).get("x")


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"name": "x", "price": "12", "currency": "EUR"}',
                                  b'{"name": "x", "price": -1, "currency": "EUR"}',
                                  b'{"name": "x", "price": true, "currency": "EUR"}',
                                  b'{"price": 1, "currency": "EUR"}', b'{"name": "x", "price": 1}'])
async def test_answers_that_are_not_products(body):
    with pytest.raises(ProductApiUnavailable):
        await client_with(lambda r: httpx.Response(200, content=body)).get("x")


def test_parse_product_ok():
    assert parse_product("p", {"name": "n", "price": 0, "currency": "EUR"}).price == 0


async def test_get_many_lists_every_unknown_and_unavailable_wins():
    def handler(request):
        pid = request.url.path.rsplit("/", 1)[-1]
        if pid == "p-espresso":
            return httpx.Response(200, json=ESPRESSO)
        if pid == "down":
            return httpx.Response(503)
        return httpx.Response(404)

    client = client_with(handler)
    assert list(await client.get_many(["p-espresso", "p-espresso"])) == ["p-espresso"]
    with pytest.raises(UnknownProducts) as info:
        await client.get_many(["p-espresso", "x1", "x2"])
    assert info.value.product_ids == ["x1", "x2"] and "x1, x2" in str(info.value)
    with pytest.raises(ProductApiUnavailable):
        await client.get_many(["x1", "down"])
    await client.aclose()
