#!/usr/bin/env python3
"""Benchmark (not a test): a bounded load against each Shopfront API on loopback.

Starts the stack of tools/shopfront_stack (the images built by scripts/build_images.sh, tag
IMAGE_TAG or "local"; SecantusDB in memory), then for each API sends REQUESTS requests from
CONCURRENCY keep-alive clients and prints requests per second and p50/p99 latency.

    scripts/bench_services.py [--requests 2000] [--concurrency 8] [--tag local] [--build]

The load generator is Python threads on the same 2 cores as the services: the figures compare
runs on one machine, they are not capacity numbers. Errors (non-2xx) are counted and printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from shopfront_stack import Stack  # noqa: E402


def call(conn: http.client.HTTPConnection, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    payload = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=payload, headers={"Content-Type": "application/json"} if payload else {})
    response = conn.getresponse()
    return response.status, response.read()


def load(port: int, requests: int, concurrency: int, make_request) -> dict:
    """REQUESTS calls of make_request(conn, worker, i) spread over CONCURRENCY connections."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(index: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed = [], 0
        for i in range(index, requests, concurrency):
            start = time.perf_counter()
            try:
                status, _ = make_request(conn, index, i)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - start)
            failed += not 200 <= status < 300
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--tag", default=os.environ.get("IMAGE_TAG", "local"))
    parser.add_argument("--build", action="store_true", help="run scripts/build_images.sh first")
    args = parser.parse_args()
    if args.requests < 100 or args.concurrency < 1:
        parser.error("--requests must be >= 100 and --concurrency >= 1")
    if args.build:
        subprocess.run([str(ROOT / "scripts/build_images.sh")], check=True, env={**os.environ, "IMAGE_TAG": args.tag})

    with Stack(tag=args.tag) as stack:
        setup = http.client.HTTPConnection("127.0.0.1", stack.ports["cart"])
        carts = [json.loads(call(setup, "POST", "/api/cart")[1])["id"] for _ in range(args.concurrency)]
        product_id = json.loads(call(http.client.HTTPConnection("127.0.0.1", stack.ports["product"]),
                                     "GET", "/api/products")[1])[0]["id"]
        scenarios = {
            "product GET /api/products": ("product", lambda c, w, i: call(c, "GET", "/api/products")),
            "cart PUT /api/cart/:id/items/:productId": (
                "cart", lambda c, w, i: call(c, "PUT", f"/api/cart/{carts[w]}/items/{product_id}",
                                             {"quantity": i % 9 + 1})),
            "order POST /api/orders (calls product)": (
                "order", lambda c, w, i: call(c, "POST", "/api/orders",
                                              {"cartId": carts[w], "items": [{"productId": product_id, "quantity": 1}]})),
        }
        print(f"{args.requests} requests per API, {args.concurrency} concurrent keep-alive clients, images :{args.tag}")
        print(f"{'API':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, (service, make_request) in scenarios.items():
            load(stack.ports[service], 100, args.concurrency, make_request)  # warm-up: JIT, pools, caches
            r = load(stack.ports[service], args.requests, args.concurrency, make_request)
            print(f"{label:44} {r['rps']:8.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['errors']:7d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
