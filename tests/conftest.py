"""Shared fixtures: the repository root, an ansible-playbook runner, a private moto server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def playbook(*args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ansible-playbook from the repository root with the project's ansible.cfg."""
    full_env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_CALLBACKS_ENABLED": "phase_timer", **(env or {})}
    return subprocess.run([str(BIN / "ansible-playbook"), *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def extra_vars(**values) -> list[str]:
    return ["-e", json.dumps(values)]


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory):
    """A moto server of the test session's own, on a free loopback port, started the way the
    aws_emulator role starts it (through its launcher with the fidelity fixes)."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_ACM_VALIDATION_WAIT": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "roles/aws_emulator/files/moto_server.py"), "-H", "127.0.0.1", "-p", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto_server did not start: " + log.read_text())
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def aws_env(moto_url, monkeypatch):
    """boto3 (and modules run in-process) talk to the session's moto server."""
    for key, value in {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "emulator",
                       "AWS_SECRET_ACCESS_KEY": "emulator", "AWS_REGION": "us-east-1",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    return moto_url
