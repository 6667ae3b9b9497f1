"""The real service against SecantusDB and an HTTP product API stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from .conftest import SERVICE_DIR, SLOW_S, Mongo, Service, free_port, own_mongo_or_skip

pytestmark = pytest.mark.integration


def place(service, body, **headers):
    return service.http.post("/api/orders", json=body, headers=headers)


def test_health_and_ready(service):
    assert service.http.get("/health").json() == {"status": "ok"}
    r = service.http.get("/ready")
    assert (r.status_code, r.json()) == (200, {"status": "ready"})


def test_indexes_exist_after_start(service, mongo):
    info = mongo.client[mongo.name("orders")]["orders"].index_information()
    unique = [spec for spec in info.values() if spec["key"] == [("id", 1)]]
    assert unique and unique[0].get("unique") is True
    assert any(spec["key"] == [("cartId", 1)] for spec in info.values())


def test_order_is_priced_by_the_product_api_and_stored(service, mongo, products):
    cart_id = f"cart-{uuid.uuid4()}"
    body = {"cartId": cart_id, "items": [
        {"productId": "p-espresso", "quantity": 2, "unitPrice": 1, "price": 1},
        {"productId": "p-mug", "quantity": 3, "name": "free mug", "lineTotal": 0}], "total": 2}
    r = place(service, body)
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["items"] == [
        {"productId": "p-espresso", "name": "Espresso beans", "unitPrice": 1850, "quantity": 2, "lineTotal": 3700},
        {"productId": "p-mug", "name": "Mug", "unitPrice": 1200, "quantity": 3, "lineTotal": 3600},
    ]
    assert (order["total"], order["currency"], order["status"], order["cartId"]) == (7300, "EUR", "PLACED", cart_id)
    assert uuid.UUID(order["id"]).version == 4

    # In the database, as placed (read with pymongo, not through the service).
    stored = mongo.client[mongo.name("orders")]["orders"].find_one({"id": order["id"]})
    assert stored is not None
    assert stored["total"] == 7300 and stored["cartId"] == cart_id and stored["status"] == "PLACED"
    assert [i["unitPrice"] for i in stored["items"]] == [1850, 1200]
    assert stored["createdAt"].isoformat(timespec="milliseconds") == order["createdAt"].replace("Z", "").replace(
        "+00:00", "")

    # Read back through the API.
    got = service.http.get(f"/api/orders/{order['id']}")
    assert (got.status_code, got.json()) == (200, order)
    second = place(service, {"cartId": cart_id, "items": [{"productId": "p-grinder", "quantity": 1}]}).json()
    listed = service.http.get("/api/orders", params={"cartId": cart_id})
    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()] == [order["id"], second["id"]]
    assert listed.json()[0] == order
    assert service.http.get("/api/orders", params={"cartId": "nobody"}).json() == []
    assert service.http.get(f"/api/orders/{uuid.uuid4()}").status_code == 404


def test_unknown_product_is_400_naming_it(service, mongo):
    before = mongo.client[mongo.name("orders")]["orders"].count_documents({})
    r = place(service, {"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1},
                                                 {"productId": "p-missing", "quantity": 1}]})
    assert r.status_code == 400
    assert "p-missing" in r.json()["message"]
    assert mongo.client[mongo.name("orders")]["orders"].count_documents({}) == before


def test_product_api_5xx_is_503(service):
    r = place(service, {"cartId": "c", "items": [{"productId": "p-boom", "quantity": 1}]})
    assert r.status_code == 503 and r.json()["message"].startswith("product API unavailable")


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[]", b'{"cartId": "c", "items": [{"productId": "p-mug"'])
def test_malformed_json_is_400_never_500(service, raw):
    r = service.http.post("/api/orders", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert isinstance(r.json()["message"], str) and "detail" not in r.json()


def test_invalid_orders_are_400(service):
    for body in ({"cartId": "c", "items": [{"productId": "p-mug", "quantity": 100}]},
                 {"cartId": "", "items": [{"productId": "p-mug", "quantity": 1}]},
                 {"cartId": "c", "items": []}):
        r = place(service, body)
        assert r.status_code == 400 and r.json()["message"].startswith("invalid request"), body
    assert service.http.get("/api/orders/nope").status_code == 400
    assert service.http.get("/api/orders").status_code == 400
    assert service.http.get("/api/nothing").json() == {"message": "no route GET /api/nothing"}
    assert service.http.put("/api/orders").status_code == 405


def test_request_id_forwarded_to_product_api_echoed_and_logged(service, products):
    rid = f"trace-{uuid.uuid4().hex[:8]}"
    body = {"cartId": "c-rid", "items": [{"productId": "p-grinder", "quantity": 1}]}
    r = place(service, body, **{"X-Request-Id": rid})
    assert r.status_code == 201
    assert r.headers["x-request-id"] == rid
    assert ("/api/products/p-grinder", rid) in products.calls
    # An unacceptable id is replaced by a UUID, and that one is forwarded.
    r = place(service, {"cartId": "c-rid", "items": [{"productId": "p-mug", "quantity": 1}]},
              **{"X-Request-Id": "no spaces allowed"})
    new_id = r.headers["x-request-id"]
    assert uuid.UUID(new_id).version == 4
    assert ("/api/products/p-mug", new_id) in products.calls
    time.sleep(0.2)
    done = [e for e in service.lines() if e.get("msg") == "request completed" and e.get("requestId") == rid]
    assert done and done[0]["route"] == "/api/orders" and done[0]["status"] == 201
    assert done[0]["method"] == "POST" and isinstance(done[0]["durationMs"], float | int)


def test_logs_are_json_lines_with_contract_fields(service):
    service.http.get("/health")
    time.sleep(0.2)
    lines = service.lines()
    assert lines, "no log output"
    for entry in lines:
        assert {"time", "level", "service", "msg"} <= set(entry), entry
        assert entry["service"] == "order"
    assert not any("uvicorn.access" == e.get("logger") for e in lines)


def test_metrics_use_route_templates(service):
    order = place(service, {"cartId": "c-m", "items": [{"productId": "p-mug", "quantity": 1}]}).json()
    service.http.get(f"/api/orders/{order['id']}")
    service.http.get("/no/such/path")
    text = service.http.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/api/orders/:id",status="200"}' in text
    assert 'http_requests_total{method="POST",route="/api/orders",status="201"}' in text
    assert 'route="unmatched"' in text
    assert "http_request_duration_seconds_bucket" in text
    assert order["id"] not in text and "/no/such/path" not in text


def test_product_api_unreachable_then_ready_follows_the_database(tmp_path):
    """Own SecantusDB (killed during the test, so never TEST_MONGODB_URI's server) and a product API
    URL where nothing listens."""
    own_mongo_or_skip()
    mongo = Mongo(tmp_path)
    service = Service(tmp_path, mongo.uri("orders") .replace("/orders", "/orders"),
                      f"http://127.0.0.1:{free_port()}", PRODUCT_API_TIMEOUT_MS="500")
    try:
        r = place(service, {"cartId": "c", "items": [{"productId": "p-mug", "quantity": 1}]})
        assert r.status_code == 503 and "product API unavailable" in r.json()["message"]
        assert service.http.get("/ready").status_code == 200
        mongo.stop()
        t0 = time.monotonic()
        r = service.http.get("/ready")
        assert r.status_code == 503, r.text
        assert r.json()["status"] == "unavailable" and "mongodb" in r.json()["reason"]
        assert time.monotonic() - t0 < 2.5
        assert service.http.get("/health").status_code == 200
    finally:
        assert service.stop() == 0
        mongo.stop()


def test_sigterm_finishes_the_inflight_request_and_exits_0(tmp_path, mongo, products):
    timeout_ms = str(int(SLOW_S * 1000 + 3000))
    service = Service(tmp_path, mongo.uri("orders"), products.url, PRODUCT_API_TIMEOUT_MS=timeout_ms)
    products.slow_started.clear()
    result = {}

    def slow_order():
        with httpx.Client(base_url=service.url, timeout=15) as client:
            result["response"] = client.post("/api/orders", json={"cartId": "c-slow", "items": [
                {"productId": "p-slow", "quantity": 2}]})

    thread = threading.Thread(target=slow_order)
    thread.start()
    try:
        assert products.slow_started.wait(10), "the slow request never reached the product API"
        service.proc.send_signal(signal.SIGTERM)
        t0 = time.monotonic()
        thread.join(15)
        response = result["response"]
        assert response.status_code == 201, response.text
        assert response.json()["total"] == 1000
        assert service.proc.wait(15) == 0
        assert time.monotonic() - t0 < 10
    finally:
        service.stop()
    assert mongo.client[mongo.name("orders")]["orders"].find_one({"id": response.json()["id"]}) is not None
    text = service.log_path.read_text()
    msgs = [json.loads(line)["msg"] for line in text.splitlines()]
    assert "shutdown requested" in msgs
    assert msgs.index("shutdown requested") < msgs.index("stopped: MongoDB client and product API client closed")


def test_config_error_exits_1_with_one_json_line(tmp_path):
    service_env = {"MONGODB_URI": "mongodb://u:hunter2@127.0.0.1:1", "PRODUCT_API_URL": "http://127.0.0.1:1"}
    env = {k: v for k, v in os.environ.items() if k not in ("MONGODB_URI", "PRODUCT_API_URL")} | service_env
    proc = subprocess.run([sys.executable, "-m", "order"], cwd=SERVICE_DIR, env=env, capture_output=True,
                          text=True, timeout=30, check=False)
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["variable"] == "MONGODB_URI" and "hunter2" not in lines[0]
