"""End to end: build the four images, run them with the database on loopback behind an ALB
stand-in (tools/shopfront_stack), drive the frontend in headless Chromium (browse, add to cart,
order, see the order), then read the order back from the database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from shopfront_stack import API_SERVICES, Stack, ingress_routes, route_for  # noqa: E402

SERVICES = ("frontend", *API_SERVICES)
TAG = "e2e"
FRONTEND = ROOT / "services/frontend"
MONGO_PYTHON = ROOT / ".venv-mongo/bin/python"


def as_root(*command: str) -> list[str]:
    return list(command) if os.geteuid() == 0 else ["sudo", *command]


@pytest.fixture(scope="module")
def built():
    """scripts/build_images.sh for all four: its table must say ok for each (size, numeric user)."""
    done = subprocess.run([str(ROOT / "scripts/build_images.sh"), *SERVICES], cwd=ROOT, capture_output=True,
                          text=True, timeout=3600, env={**os.environ, "IMAGE_TAG": TAG})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


@pytest.fixture(scope="module")
def browser_tools():
    """Chromium from Debian and playwright-core from the frontend's lockfile."""
    if not shutil.which("chromium"):
        subprocess.run(as_root("apt-get", "-q", "update"), check=True, capture_output=True)
        subprocess.run(as_root("apt-get", "-q", "-y", "install", "--no-install-recommends", "chromium"),
                       check=True, capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not (FRONTEND / "node_modules/playwright-core").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True, capture_output=True)
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def stack(built):
    with Stack(tag=TAG) as running:
        yield running


def mongo_find(port: int, database: str, collection: str, query: dict) -> list[dict]:
    """Documents read with pymongo (in .venv-mongo), without _id."""
    code = ("import json, sys, pymongo\n"
            "c = pymongo.MongoClient(f'mongodb://127.0.0.1:{sys.argv[1]}', serverSelectionTimeoutMS=5000)\n"
            "docs = list(c[sys.argv[2]][sys.argv[3]].find(json.loads(sys.argv[4]), {'_id': 0}))\n"
            "print(json.dumps(docs, default=str))\n")
    done = subprocess.run([str(MONGO_PYTHON), "-c", code, str(port), database, collection, json.dumps(query)],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_images_are_small_and_non_root(built):
    rows = {line.split()[0]: line for line in built.splitlines() if "shopfront-" in line and ":" + TAG in line}
    for service in SERVICES:
        row = next((r for image, r in rows.items() if f"shopfront-{service}:{TAG}" in image), None)
        assert row and row.rstrip().endswith("ok"), f"{service}: {row}"


def test_the_router_follows_the_ingress_values():
    routes = ingress_routes()
    assert route_for(routes, "/api/cart/abc/items/p1") == "cart"
    assert route_for(routes, "/api/orders") == "order"
    assert route_for(routes, "/api/products") == "product"
    assert route_for(routes, "/api/cartoon") == "frontend"  # a prefix matches whole segments only
    assert route_for(routes, "/orders/123") == "frontend"


def test_shopper_journey_in_chromium_lands_in_the_database(stack, browser_tools):
    done = subprocess.run(["node", "e2e/shop.mjs"], cwd=FRONTEND, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BASE_URL": stack.url, "CHROMIUM_PATH": browser_tools})
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-3000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    order_id, product_id = result["orderId"], result["productId"]

    [order] = mongo_find(stack.mongo_port, "orders", "orders", {"id": order_id})
    [product] = mongo_find(stack.mongo_port, "products", "products", {"id": product_id})
    [line] = [item for item in order["items"] if item["productId"] == product_id]
    # The price is the catalogue's, taken by the order service from the product API.
    assert line["unitPrice"] == product["price"] and line["name"] == product["name"]
    assert order["total"] == sum(item["unitPrice"] * item["quantity"] for item in order["items"])
    assert order["status"] == "PLACED" and order["cartId"]

    # One request id from the browser through order to product, in both services' JSON logs.
    placed = [r for r in stack.json_logs("order") if r.get("method") == "POST" and r.get("status") == 201]
    assert placed, stack.logs("order")[-2000:]
    request_id = placed[-1]["requestId"]
    assert any(r.get("requestId") == request_id for r in stack.json_logs("product")), request_id


def test_bad_input_through_the_alb_is_a_4xx_with_a_message(stack):
    for path, body in (("/api/orders", b"{not json"), ("/api/orders", b'{"cartId": "", "items": []}'),
                       ("/api/cart/nope/items/p-mug", b'{"quantity": 0}')):
        method = "PUT" if "/items/" in path else "POST"
        status, _, raw = request(stack.url + path, method, body, {"Content-Type": "application/json"})
        assert 400 <= status < 500, (path, status, raw)
        assert json.loads(raw)["message"], raw


def test_every_service_exposes_metrics_and_echoes_the_request_id(stack):
    for service in API_SERVICES:
        base = f"http://127.0.0.1:{stack.ports[service]}"
        status, headers, _ = request(base + "/health", headers={"X-Request-Id": "e2e-probe-1"})
        assert status == 200 and headers.get("x-request-id", headers.get("X-Request-Id")) == "e2e-probe-1"
        status, _, raw = request(base + "/metrics")
        assert status == 200 and b"http_requests_total" in raw and b"http_request_duration_seconds" in raw, service
