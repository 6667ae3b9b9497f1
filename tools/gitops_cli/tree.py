"""Where things live in the GitOps tree, and the rules every edit and check share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# Image tags: sha-<commit> (dev) or a semantic version (releases, third-party images). Never latest.
TAG = re.compile(r"^(sha-[0-9a-f]{7,40}|v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$")
TAG_HELP = "use sha-<7-40 lowercase hex digits> or a version such as v1.2.3, 1.2.3-rc.1 (never latest)"
# A release tag of this repository: what prod is pinned to.
RELEASE = re.compile(r"^v[0-9]+\.[0-9]+\.[0-9]+$")
# Folders whose files are Kubernetes manifests (the rest are Helm values and charts).
MANIFEST_DIRS = ("apps", "platform", "services")


class UsageError(Exception):
    """Bad input from the user: exit 2 with the message."""


@dataclass(frozen=True)
class Tree:
    """The repository root and the paths of the GitOps tree inside it."""

    root: Path

    @property
    def gitops(self) -> Path:
        return self.root / "gitops"

    def require(self) -> None:
        """Refuse a root without a GitOps tree."""
        if not (self.gitops / "values" / "base").is_dir():
            raise UsageError(f"{self.gitops / 'values' / 'base'} not found: pass --root <repository root>")

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

    def yaml_files(self) -> list[Path]:
        """Every YAML file of the tree except chart templates (Go templates, not YAML)."""
        charts = self.gitops / "charts"
        return sorted(p for p in self.gitops.rglob("*.y*ml")
                      if not (p.is_relative_to(charts) and "templates" in p.relative_to(charts).parts[1:]))

    def check(self, service: str, env: str, tag: str) -> None:
        """Refuse an unknown service or environment or a malformed tag, naming the valid choices."""
        if env not in self.envs():
            raise UsageError(f"unknown environment {env!r}: choose one of {', '.join(self.envs())}")
        if service not in self.services():
            raise UsageError(f"unknown service {service!r}: choose one of {', '.join(self.services())}")
        if not TAG.match(tag):
            raise UsageError(f"malformed image tag {tag!r}: {TAG_HELP}")


def load_all(path: Path) -> list:
    """Every non-empty YAML document of a file."""
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def sources(app: dict) -> list[dict]:
    """An Application's sources, whether it has one (`source`) or several (`sources`)."""
    spec = app.get("spec") or {}
    return spec.get("sources") or ([spec["source"]] if spec.get("source") else [])


def chart_source(app: dict) -> dict | None:
    """The source that holds the chart (the one with a `path`, not the `ref:` source of value files)."""
    return next((s for s in sources(app) if "path" in s), None)
