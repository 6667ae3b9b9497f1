"""Where things live in the GitOps tree, and the rules every edit and check share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# Image tags: sha-<commit> (dev) or a semantic version (releases, third-party images). Never latest.
TAG = re.compile(r"^(sha-[0-9a-f]{7,40}|v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$")
# A release tag of this repository: what prod is pinned to.
RELEASE = re.compile(r"^v[0-9]+\.[0-9]+\.[0-9]+$")
# Folders whose files are Kubernetes manifests (the rest are Helm values and charts).
MANIFEST_DIRS = ("apps", "platform", "services")


class UsageError(Exception):
    """Bad input from the user: exit 2 with the message."""


@dataclass(frozen=True)
class Tree:
    root: Path  # the repository

    @property
    def gitops(self) -> Path:
        return self.root / "gitops"

    def services(self) -> list[str]:
        return sorted(p.stem for p in (self.gitops / "values" / "base").glob("*.yaml"))

    def envs(self) -> list[str]:
        return sorted(p.name for p in (self.gitops / "values").iterdir() if p.is_dir() and p.name != "base")

    def values_file(self, env: str, service: str) -> Path:
        return self.gitops / "values" / env / f"{service}.yaml"

    def applications(self, env: str) -> list[Path]:
        return sorted((self.gitops / "services" / env).glob("*.yaml"))

    def manifests(self) -> list[Path]:
        return sorted(p for d in MANIFEST_DIRS for p in (self.gitops / d).rglob("*.y*ml"))

    def check(self, service: str, env: str, tag: str | None = None) -> None:
        """Refuse an unknown service or environment or a malformed tag, naming the valid choices."""
        if env not in self.envs():
            raise UsageError(f"unknown environment {env!r}: choose one of {', '.join(self.envs())}")
        if service not in self.services():
            raise UsageError(f"unknown service {service!r}: choose one of {', '.join(self.services())}")
        if tag is not None and not TAG.match(tag):
            raise UsageError(f"malformed image tag {tag!r}: use sha-<7-40 hex digits> or a version such as v1.2.3")


def load_all(path: Path) -> list[dict]:
    """Every non-empty YAML document of a file."""
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def chart_source(app: dict) -> dict:
    """The source that holds the chart (not the `ref:` source of value files)."""
    spec = app["spec"]
    sources = spec.get("sources") or [spec.get("source", {})]
    return next(s for s in sources if "path" in s)
