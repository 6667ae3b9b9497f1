import json
import logging
import uuid

import pytest
from fastapi.testclient import TestClient

import order.app as app_module
from order.app import create_app, route_template
from order.logs import JsonFormatter

from .fakes import SETTINGS, FakeCatalog, FakeStore

ORDER = {"cartId": "cart-1",
         "items": [{"productId": "p-espresso", "quantity": 2}, {"productId": "p-mug", "quantity": 1}]}


@pytest.fixture
def parts():
    return FakeStore(), FakeCatalog()


@pytest.fixture
def client(parts):
    store, catalog = parts
    app = create_app(SETTINGS, store=store, catalog=catalog)
    with TestClient(app) as c:
        yield c
    assert store.closed and catalog.closed


@pytest.fixture
def logs():
    """The JSON lines the app logs during the test."""
    lines = []

    class Handler(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Handler()
    root = logging.getLogger()
    root.addHandler(handler)
    old = root.level
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(old)


def test_password_never_logged(parts, logs):
    store, catalog = parts
    with TestClient(create_app(SETTINGS, store=store, catalog=catalog)) as c:
        c.get("/ready")
    started = [e for e in logs if e["msg"] == "order service started"]
    assert started and started[0]["mongodb"] == "mongodb://u:***@db/orders"
    assert not any(":pw@" in json.dumps(e) for e in logs)


def test_health(client):
    r = client.get("/health")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def test_place_order_uses_catalogue_prices_not_the_clients(client, parts):
    body = {"cartId": "cart-1", "items": [
        {"productId": "p-espresso", "quantity": 2, "unitPrice": 1, "price": 1, "name": "cheap"},
        {"productId": "p-mug", "quantity": 1, "lineTotal": 0}], "total": 1}
    r = client.post("/api/orders", json=body)
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["items"] == [
        {"productId": "p-espresso", "name": "Espresso beans", "unitPrice": 1850, "quantity": 2, "lineTotal": 3700},
        {"productId": "p-mug", "name": "Mug", "unitPrice": 1200, "quantity": 1, "lineTotal": 1200},
    ]
    assert (order["total"], order["currency"], order["status"], order["cartId"]) == (4900, "EUR", "PLACED", "cart-1")
    assert uuid.UUID(order["id"]).version == 4
    assert order["createdAt"].endswith("Z")
    assert r.headers["location"] == f"/api/orders/{order['id']}"
    assert set(order) == {"id", "cartId", "items", "total", "currency", "status", "createdAt"}
    # stored, and read back the same
    assert parts[0].orders[order["id"]]["total"] == 4900
    assert client.get(f"/api/orders/{order['id']}").json() == order
    assert client.get(f"/api/orders/{order['id'].upper()}").json() == order
    assert client.get("/api/orders", params={"cartId": "cart-1"}).json() == [order]
    assert client.get("/api/orders", params={"cartId": "other"}).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": ORDER["items"]}, "cartId"),
        ({"cartId": "", "items": ORDER["items"]}, "cartId"),
        ({"cartId": "   ", "items": ORDER["items"]}, "cartId"),
        ({"cartId": "c" * 129, "items": ORDER["items"]}, "cartId"),
        ({"cartId": 12, "items": ORDER["items"]}, "cartId"),
        ({"cartId": "c"}, "items"),
        ({"cartId": "c", "items": []}, "items"),
        ({"cartId": "c", "items": [{"productId": f"p{i}", "quantity": 1} for i in range(51)]}, "items"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": 0}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": 100}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1.5}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": "2"}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": True}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "p-mug"}]}, "items[0].quantity"),
        ({"cartId": "c", "items": [{"productId": "", "quantity": 1}]}, "items[0].productId"),
        ({"cartId": "c", "items": [{"quantity": 1}]}, "items[0].productId"),
        ({"cartId": "c", "items": ["p-mug"]}, "items[0]"),
        ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1}, {"productId": "p-mug", "quantity": 2}]},
         "items[1].productId"),
    ],
)
def test_schema_violations_are_400_with_message_and_details(client, parts, body, field):
    r = client.post("/api/orders", json=body)
    assert r.status_code == 400, r.text
    out = r.json()
    assert "detail" not in out
    assert out["message"].startswith("invalid request:")
    assert field in out["message"]
    assert any(d.get("field") == field for d in out["details"])
    assert parts[1].calls == []  # the product API is not asked about invalid orders


def test_boundaries_are_accepted(client):
    body = {"cartId": "c" * 128, "items": [{"productId": "p-mug", "quantity": 99}]}
    r = client.post("/api/orders", json=body)
    assert r.status_code == 201 and r.json()["total"] == 99 * 1200


@pytest.mark.parametrize("raw", [b"{bad", b"", b"[1, 2]", b"null", b'"text"', b'{"cartId": "c", "items": [}'])
def test_malformed_or_non_object_json_is_400(client, raw):
    r = client.post("/api/orders", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["message"]
    assert "detail" not in r.json()


def test_malformed_json_message(client):
    r = client.post("/api/orders", content=b"{bad", headers={"content-type": "application/json"})
    assert r.json()["message"].startswith("request body is not valid JSON")


def test_non_json_content_type_is_415(client):
    r = client.post("/api/orders", content=b"cartId=c", headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and "application/json" in r.json()["message"]


def test_body_limit(client):
    r = client.post("/api/orders", content=b"{" + b" " * 70000 + b"}", headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["message"]


def test_unknown_product_is_400_naming_it(client):
    body = {"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1}, {"productId": "p-nope", "quantity": 1}]}
    r = client.post("/api/orders", json=body)
    assert r.status_code == 400
    assert r.json()["message"] == "unknown product p-nope"
    assert r.json()["details"] == [
        {"location": "body", "field": "items[1].productId", "message": "unknown product p-nope"}]


def test_product_api_down_is_503(client, parts):
    parts[1].down = True
    r = client.post("/api/orders", json=ORDER)
    assert r.status_code == 503 and "product API unavailable" in r.json()["message"]
    assert parts[0].orders == {}


def test_mixed_currencies_is_400(client):
    body = {"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1}, {"productId": "p-usd", "quantity": 1}]}
    r = client.post("/api/orders", json=body)
    assert r.status_code == 400 and "EUR, USD" in r.json()["message"]


def test_database_down_is_503(client, parts):
    parts[0].down = True
    assert client.post("/api/orders", json=ORDER).status_code == 503
    r = client.get("/api/orders", params={"cartId": "c"})
    assert r.status_code == 503 and r.json() == {"message": "database unavailable, try again later"}


def test_unhandled_error_is_json_500_with_request_id(client, parts, logs):
    parts[0].boom = RuntimeError("driver bug with secret details")
    r = client.post("/api/orders", json=ORDER, headers={"X-Request-Id": "rid-500"})
    assert r.status_code == 500
    assert r.json() == {"message": "internal server error"}
    assert r.headers["x-request-id"] == "rid-500"
    errors = [e for e in logs if e["msg"] == "unhandled error"]
    assert errors and errors[0]["requestId"] == "rid-500" and "RuntimeError" in errors[0]["err"]
    done = [e for e in logs if e["msg"] == "request completed"]
    assert done[-1]["status"] == 500 and done[-1]["level"] == "error"


def test_get_order_errors(client):
    r = client.get("/api/orders/not-a-uuid")
    assert r.status_code == 400 and "UUID" in r.json()["message"]
    missing = str(uuid.uuid4())
    r = client.get(f"/api/orders/{missing}")
    assert (r.status_code, r.json()) == (404, {"message": f"order {missing} not found"})


def test_list_requires_cart_id(client):
    for params in ({}, {"cartId": ""}, {"cartId": "x" * 129}):
        r = client.get("/api/orders", params=params)
        assert r.status_code == 400 and "cartId" in r.json()["message"], params


def test_unknown_route_and_wrong_method(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"message": "no route GET /api/nothing"}
    r = client.delete("/api/orders")
    assert r.status_code == 405 and "not allowed" in r.json()["message"]
    assert "GET" in r.headers["allow"]
    assert client.get("/docs").status_code == 404


def test_request_id_is_echoed_or_replaced_and_logged(client, logs):
    r = client.get("/health", headers={"X-Request-Id": "abc.DEF_1-2"})
    assert r.headers["x-request-id"] == "abc.DEF_1-2"
    r = client.get("/health", headers={"X-Request-Id": "bad id!"})
    assert uuid.UUID(r.headers["x-request-id"]).version == 4
    r = client.get("/health")
    generated = r.headers["x-request-id"]
    assert uuid.UUID(generated).version == 4
    lines = [e for e in logs if e["msg"] == "request completed"]
    assert [e["requestId"] for e in lines] == ["abc.DEF_1-2", lines[1]["requestId"], generated]
    assert lines[1]["requestId"] != "bad id!"
    assert lines[0] | {"time": "", "durationMs": 0} == {
        "time": "", "level": "info", "service": "order", "msg": "request completed", "requestId": "abc.DEF_1-2",
        "method": "GET", "route": "/health", "status": 200, "durationMs": 0}


def test_metrics_use_route_templates(client):
    order = client.post("/api/orders", json=ORDER).json()
    client.get(f"/api/orders/{order['id']}")
    client.get("/api/nope/123")
    text = client.get("/metrics").text
    assert 'http_requests_total{method="POST",route="/api/orders",status="201"} 1.0' in text
    assert 'http_requests_total{method="GET",route="/api/orders/:id",status="200"} 1.0' in text
    assert 'http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/orders/:id",status="200"}' in text
    assert order["id"] not in text


def test_ready(client, parts):
    assert client.get("/ready").json() == {"status": "ready"}
    parts[0].ping_error = TimeoutError()
    r = client.get("/ready")
    assert r.status_code == 503 and r.json()["status"] == "unavailable"
    assert "mongodb ping failed" in r.json()["reason"]
    parts[0].ping_error = None
    client.app.state.shutting_down = True
    r = client.get("/ready")
    assert (r.status_code, r.json()) == (503, {"status": "unavailable", "reason": "shutting down"})
    assert client.get("/health").status_code == 200


def test_indexes_are_retried_until_created(monkeypatch, logs):
    monkeypatch.setattr(app_module, "INDEX_STARTUP_WAIT_S", 0.05)
    real_sleep = app_module.asyncio.sleep
    monkeypatch.setattr(app_module.asyncio, "sleep", lambda s: real_sleep(0.01))
    store = FakeStore()
    store.fail_indexes = 2
    app = create_app(SETTINGS, store=store, catalog=FakeCatalog())
    with TestClient(app) as c:
        for _ in range(200):
            if store.index_calls >= 3 and c.app.state.indexes_ready:
                break
            c.get("/health")
        assert c.get("/ready").json() == {"status": "ready"}
    assert store.index_calls == 3
    assert sum(e["msg"] == "could not create indexes, retrying" for e in logs) == 2


def test_ready_503_until_indexes_exist():
    store = FakeStore()
    app = create_app(SETTINGS, store=store, catalog=FakeCatalog())
    with TestClient(app) as c:
        c.app.state.indexes_ready = False
        r = c.get("/ready")
        assert r.status_code == 503 and r.json()["reason"] == "indexes not created yet"


def test_route_template_conversion():
    class R:
        path = "/api/orders/{id}/items/{productId:path}"

    assert route_template({"route": R()}) == "/api/orders/:id/items/:productId"
    assert route_template({}) == "unmatched"
