"""Run the four Shopfront images on this machine, the way the cluster runs them, for the
end-to-end test and the benchmark.

- MongoDB: SecantusDB (a MongoDB wire-protocol server) on loopback, in memory.
- product, cart, order: their images with the host network (so they reach the database on
  loopback), read-only root filesystem, /tmp as tmpfs, uid 10001, no capabilities: the
  chart's pod security settings.
- frontend: its image on a loopback-published port.
- An ALB stand-in: a path router whose rules come from the services' Ingress values
  (gitops/values/base/<svc>.yaml: ingress.path and ingress.groupOrder), so the browser sees one
  origin as it does behind the ALB.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
API_SERVICES = ("product", "cart", "order")
DATABASES = {"product": "products", "cart": "carts", "order": "orders"}
IMAGE_PREFIX = os.environ.get("IMAGE_PREFIX", "docker.io/acme/shopfront-")
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def secantusd() -> str:
    """The SecantusDB server: $SECANTUSD, else the one scripts/bootstrap.sh installs, else PATH."""
    candidates = [os.environ.get("SECANTUSD"), str(ROOT / ".venv-mongo/bin/secantusd-py"), shutil.which("secantusd-py")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError("secantusd-py not found: run scripts/bootstrap.sh (it makes .venv-mongo)")


def wait_for(url: str, timeout: float = 60.0, what: str = "") -> None:
    """Poll URL until it answers 200; RuntimeError with the last failure after TIMEOUT seconds."""
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as err:
            last = str(err)
        time.sleep(0.25)
    raise RuntimeError(f"{what or url} not ready after {timeout:.0f}s: {last}")


def ingress_routes(values_dir: Path = ROOT / "gitops/values/base") -> list[tuple[str, str]]:
    """(path prefix, service) in the ALB's evaluation order: groupOrder, then longer paths first."""
    routes = []
    for file in sorted(values_dir.glob("*.yaml")):
        ingress = (yaml.safe_load(file.read_text()) or {}).get("ingress") or {}
        if ingress.get("enabled"):
            routes.append((int(ingress.get("groupOrder", 0)), -len(ingress["path"]), ingress["path"], file.stem))
    return [(path, service) for _, _, path, service in sorted(routes)]


def route_for(routes: list[tuple[str, str]], path: str) -> str | None:
    """The service of the first rule whose prefix matches PATH (ALB `Prefix` semantics)."""
    for prefix, service in routes:
        if prefix == "/" or path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return service
    return None


class Router(http.server.ThreadingHTTPServer):
    """The ALB stand-in: forwards each request to the backend its path routes to."""

    daemon_threads = True

    def __init__(self, routes: list[tuple[str, str]], backends: dict[str, int]):
        self.routes, self.backends = routes, backends
        super().__init__(("127.0.0.1", 0), _RouterHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RouterHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the backends log every request
        pass

    def _forward(self) -> None:
        service = route_for(self.server.routes, self.path.split("?", 1)[0])
        if service is None:
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        conn = http.client.HTTPConnection("127.0.0.1", self.server.backends[service], timeout=30)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except OSError as err:
            self.send_error(502, f"{service}: {err}")
            return
        finally:
            conn.close()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in HOP_HEADERS | {"content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward


@dataclass
class Stack:
    """The running stack; use as a context manager (stops and removes everything on exit)."""

    tag: str = "local"
    name: str = field(default_factory=lambda: f"shopfront-{uuid.uuid4().hex[:8]}")
    ports: dict[str, int] = field(default_factory=dict)
    containers: list[str] = field(default_factory=list)
    mongo: subprocess.Popen | None = None
    router: Router | None = None

    @property
    def mongo_port(self) -> int:
        return self.ports["mongodb"]

    def mongo_uri(self, service: str) -> str:
        return f"mongodb://127.0.0.1:{self.mongo_port}/{DATABASES[service]}"

    @property
    def url(self) -> str:
        assert self.router, "stack not started"
        return self.router.url

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _docker_run(self, service: str, *options: str) -> None:
        container = f"{self.name}-{service}"
        subprocess.run(["docker", "run", "-d", "--name", container, "--read-only", "--tmpfs", "/tmp:rw,size=64m",
                        "--user", "10001:10001", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                        "--memory", "512m", *options, f"{IMAGE_PREFIX}{service}:{self.tag}"],
                       check=True, capture_output=True, text=True)
        self.containers.append(container)

    def start(self) -> None:
        self.ports = {name: free_port() for name in ("mongodb", "frontend", *API_SERVICES)}
        self.mongo = subprocess.Popen([secantusd(), "--host", "127.0.0.1", "--port", str(self.mongo_port),
                                       "--storage-path", ":memory:"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", self.mongo_port)) != 0:
            if self.mongo.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("SecantusDB did not start")
            time.sleep(0.1)
        env = {"product": [], "cart": [], "order": ["-e", f"PRODUCT_API_URL=http://127.0.0.1:{self.ports['product']}"]}
        for service in API_SERVICES:
            self._docker_run(service, "--network", "host", "-e", f"PORT={self.ports[service]}",
                             "-e", f"MONGODB_URI={self.mongo_uri(service)}", *env[service])
        self._docker_run("frontend", "-p", f"127.0.0.1:{self.ports['frontend']}:8080")
        for service in (*API_SERVICES, "frontend"):
            try:
                wait_for(f"http://127.0.0.1:{self.ports[service]}/ready", what=service)
            except RuntimeError as err:
                raise RuntimeError(f"{err}\n--- logs of {service}:\n{self.logs(service)[-3000:]}") from None
        self.router = Router(ingress_routes(), {s: self.ports[s] for s in (*API_SERVICES, "frontend")})
        threading.Thread(target=self.router.serve_forever, daemon=True).start()

    def logs(self, service: str) -> str:
        done = subprocess.run(["docker", "logs", f"{self.name}-{service}"], capture_output=True, text=True)
        return done.stdout + done.stderr

    def json_logs(self, service: str) -> list[dict]:
        """The service's JSON log lines (other lines are skipped)."""
        records = []
        for line in self.logs(service).splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records

    def stop(self) -> None:
        if self.router:
            self.router.shutdown()
            self.router.server_close()
            self.router = None
        if self.containers:
            subprocess.run(["docker", "rm", "-f", *self.containers], capture_output=True)
            self.containers = []
        if self.mongo and self.mongo.poll() is None:
            self.mongo.terminate()
            self.mongo.wait(timeout=10)
