"""Real processes: SecantusDB (MongoDB wire protocol; or the server of $TEST_MONGODB_URI when set),
a threaded HTTP stand-in for the product API, and the service itself (`python -m order`, spawned)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

SERVICE_DIR = Path(__file__).resolve().parents[2]
REPO_ROOT = SERVICE_DIR.parents[1]

PRODUCTS = {
    "p-espresso": {"id": "p-espresso", "name": "Espresso beans", "description": "1 kg", "price": 1850,
                   "currency": "EUR"},
    "p-grinder": {"id": "p-grinder", "name": "Hand grinder", "description": "Ceramic", "price": 4999,
                  "currency": "EUR"},
    "p-mug": {"id": "p-mug", "name": "Mug", "description": "300 ml", "price": 1200, "currency": "EUR"},
    # Answers after SLOW_S (a slow but successful request, for the shutdown test).
    "p-slow": {"id": "p-slow", "name": "Slow thing", "description": "", "price": 500, "currency": "EUR"},
}
SLOW_S = 1.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def find_secantusd() -> str | None:
    candidates = [os.environ.get("SECANTUSD"), str(REPO_ROOT / ".venv-mongo" / "bin" / "secantusd-py"),
                  shutil.which("secantusd-py")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def secantusd() -> str:
    found = find_secantusd()
    if found is None:
        pytest.fail("secantusd-py not found: set SECANTUSD, run scripts/bootstrap.sh (.venv-mongo) or put it on PATH")
    return found


def external_mongo_uri() -> str | None:
    """$TEST_MONGODB_URI when set and non-empty (CI: a MongoDB service container)."""
    return os.environ.get("TEST_MONGODB_URI", "").strip() or None


def own_mongo_or_skip() -> None:
    """For tests that kill their database: they start their own SecantusDB even when
    TEST_MONGODB_URI is set, and are skipped only when secantusd-py is then not installed."""
    if external_mongo_uri() and find_secantusd() is None:
        pytest.skip("TEST_MONGODB_URI is set and secantusd-py is not installed: this test kills its database, "
                    "so it needs its own SecantusDB")


class ExternalMongo:
    """The server of TEST_MONGODB_URI, shaped like Mongo: database names get a random hex suffix
    per instance (name(db)), stop() drops the databases it named and leaves the server running."""

    external = True

    def __init__(self, base: str) -> None:
        base, _, query = base.partition("?")
        scheme, sep, rest = base.partition("://")
        if not sep:
            raise ValueError(f"TEST_MONGODB_URI is not a mongodb:// URI: {base}")
        hosts = rest.split("/", 1)[0]
        self._prefix = f"{scheme}://{hosts}"
        self._query = f"?{query}" if query else ""
        host, _, port = hosts.rsplit("@", 1)[-1].split(",")[0].rpartition(":")
        if not host or not port.isdigit():  # no port (or an IPv6 literal without one)
            host, port = hosts.rsplit("@", 1)[-1].split(",")[0], "27017"
        self.host, self.port = host, int(port)
        self._suffix = os.urandom(4).hex()
        self._used: set[str] = set()
        self.client = MongoClient(f"{self._prefix}/{self._query}", serverSelectionTimeoutMS=5000)
        self.client.admin.command("ping")

    def name(self, db: str = "orders") -> str:
        full = f"{db}_{self._suffix}"
        self._used.add(full)
        return full

    def uri(self, db: str = "orders") -> str:
        return f"{self._prefix}/{self.name(db)}{self._query}"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            for db in self._used:
                self.client.drop_database(db)
        self._used.clear()
        self.client.close()


def start_mongo(tmp: Path) -> Mongo | ExternalMongo:
    """The server of TEST_MONGODB_URI when set, else a SecantusDB of our own."""
    uri = external_mongo_uri()
    return ExternalMongo(uri) if uri else Mongo(tmp)


class Mongo:
    """A SecantusDB of our own (in-memory, free loopback port); stop() kills it."""

    external = False

    def __init__(self, tmp: Path) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.log = open(tmp / f"secantusd-{self.port}.log", "wb")
        self.proc = subprocess.Popen(
            [secantusd(), "--host", "127.0.0.1", "--port", str(self.port), "--storage-path", ":memory:"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, 30, self.proc)
        self.client = MongoClient(f"mongodb://127.0.0.1:{self.port}", serverSelectionTimeoutMS=5000)
        self.client.admin.command("ping")

    def name(self, db: str = "orders") -> str:
        return db

    def uri(self, db: str = "orders") -> str:
        return f"mongodb://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.client.close()
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


class ProductApi:
    """GET /api/products/:id from PRODUCTS; records (path, X-Request-Id) of every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.slow_started = threading.Event()
        calls, slow_started = self.calls, self.slow_started

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                calls.append((self.path, self.headers.get("X-Request-Id")))
                pid = self.path.rsplit("/", 1)[-1]
                if pid == "p-boom":
                    return self._send(500, {"message": "boom"})
                if pid == "p-slow":
                    slow_started.set()
                    time.sleep(SLOW_S)
                if self.path.startswith("/api/products/") and pid in PRODUCTS:
                    return self._send(200, PRODUCTS[pid])
                return self._send(404, {"message": f"product {pid} not found"})

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                rid = self.headers.get("X-Request-Id")
                if rid:
                    self.send_header("X-Request-Id", rid)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Service:
    """`python -m order` in a child process; its stdout (JSON logs) in a file."""

    def __init__(self, tmp: Path, mongo_uri: str, product_url: str, **env: str) -> None:
        self.port = free_port()
        self.log_path = tmp / f"order-{self.port}.log"
        self.log = open(self.log_path, "wb")
        environ = {k: v for k, v in os.environ.items() if k not in ("MONGODB_URI", "PRODUCT_API_URL", "PORT")}
        environ.update({"MONGODB_URI": mongo_uri, "PRODUCT_API_URL": product_url, "PORT": str(self.port),
                        "PYTHONUNBUFFERED": "1", **env})
        self.proc = subprocess.Popen([sys.executable, "-m", "order"], cwd=SERVICE_DIR, env=environ,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for_port(self.port, 30, self.proc)
        self.http = httpx.Client(base_url=self.url, timeout=10)

    def lines(self) -> list[dict]:
        text = self.log_path.read_text()
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def stop(self) -> int:
        self.http.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def mongo(tmp_path_factory):
    """$TEST_MONGODB_URI's server (unique database names) when set, else our own SecantusDB."""
    m = start_mongo(tmp_path_factory.mktemp("mongo"))
    yield m
    m.stop()


@pytest.fixture(scope="module")
def products():
    p = ProductApi()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory, mongo, products):
    s = Service(tmp_path_factory.mktemp("order"), mongo.uri("orders"), products.url)
    yield s
    s.stop()
