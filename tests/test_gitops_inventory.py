"""Each inventory and the GitOps tree agree: the root folder exists, the services' namespaces
the platform phase creates are exactly the destinations of that environment's AppProject, and
every Application pulls the repository the inventory names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
INVENTORIES = sorted(p.name for p in (ROOT / "inventories").iterdir() if (p / "group_vars" / "platform.yml").is_file())


def docs(folder: Path) -> list[dict]:
    return [d for f in sorted(folder.rglob("*.yaml")) for d in yaml.safe_load_all(f.read_text()) if d]


def repo_urls(app: dict) -> set[str]:
    spec = app["spec"]
    return {s["repoURL"] for s in spec.get("sources") or [spec["source"]]}


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_inventory_matches_the_gitops_tree(inventory):
    values = yaml.safe_load((ROOT / "inventories" / inventory / "group_vars" / "platform.yml").read_text())
    root = ROOT / values["gitops_root_path"]
    assert root.is_dir(), f"gitops_root_path {values['gitops_root_path']} of inventories/{inventory} does not exist"

    children = docs(root)
    assert {a["metadata"]["name"] for a in children} == {"platform", "services"}
    apps = list(children)
    projects = []
    for child in children:
        found = docs(ROOT / child["spec"]["source"]["path"])
        apps += [d for d in found if d["kind"] == "Application"]
        projects += [d for d in found if d["kind"] == "AppProject"]

    destinations = {d["namespace"] for p in projects for d in p["spec"]["destinations"]}
    assert destinations == set(values["gitops_namespaces"])
    assert {u for a in apps for u in repo_urls(a)} == {values["gitops_repo_url"]}
    # the service Applications deploy only into those namespaces
    services = [a for a in apps if a["spec"]["project"] != "platform"]
    assert services and {a["spec"]["destination"]["namespace"] for a in services} <= destinations
