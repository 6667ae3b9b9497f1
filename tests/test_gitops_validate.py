"""`gitops validate`: the real tree passes; each rule fails on a copy broken in that one way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELM_ON_PATH = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # the venv's helm, if any


def validate(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / "gitops"), "--root", str(root), "validate"],
                          capture_output=True, text=True, env=HELM_ON_PATH, timeout=300)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "gitops", tmp_path / "gitops")
    return tmp_path


def test_the_real_tree_is_valid():
    done = validate(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gitops tree valid" in done.stdout and "skipped" not in done.stdout


def break_parse(root):
    edit(root / "gitops/services/dev/cart.yaml", "spec:\n", "spec:\n  - [unclosed\n")
    return "gitops/services/dev/cart.yaml", "parse"


def break_schema(root):
    (root / "gitops/platform/dev/quota.yaml").write_text(
        "---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: 12\n")
    return "gitops/platform/dev/quota.yaml", "schema"


def break_source_path(root):
    (root / "gitops/values/dev/order.yaml").unlink()
    return "gitops/services/dev/order.yaml", "source-path"


def break_project_namespace(root):
    edit(root / "gitops/services/dev/product.yaml", "namespace: shopfront-dev", "namespace: kube-system")
    return "gitops/services/dev/product.yaml", "project"


def break_project_repository(root):
    edit(root / "gitops/services/prod/cart.yaml", "repoURL: https://github.com/acme/shopfront.git",
         "repoURL: https://github.com/mallory/shopfront.git")
    return "gitops/services/prod/cart.yaml", "project"


def break_prod_manual(root):
    path = root / "gitops/services/prod/order.yaml"
    path.write_text(path.read_text() + "  syncPolicy:\n    automated:\n      prune: true\n")
    return "gitops/services/prod/order.yaml", "prod-manual"


def break_prod_branch(root):
    edit(root / "gitops/services/prod/frontend.yaml", "targetRevision: v", "targetRevision: main\n      # v")
    return "gitops/services/prod/frontend.yaml", "prod-manual"


def break_dev_auto(root):
    edit(root / "gitops/services/dev/frontend.yaml", "      selfHeal: true\n", "")
    return "gitops/services/dev/frontend.yaml", "dev-auto"


def break_image_tag(root):
    edit(root / "gitops/values/dev/cart.yaml", "tag: v0.1.0", "tag: latest")
    return "gitops/values/dev/cart.yaml", "image-tag"


def break_render(root):
    # the values schema leaves tolerations open; Kubernetes knows no field "tolerate"
    edit(root / "gitops/values/prod/product.yaml", "replicaCount: 2", "replicaCount: 2\ntolerations: [{tolerate: all}]")
    return "gitops/services/prod/product.yaml", "render"


BREAKS = [break_parse, break_schema, break_source_path, break_project_namespace, break_project_repository,
          break_prod_manual, break_prod_branch, break_dev_auto, break_image_tag, break_render]


@pytest.mark.parametrize("breaker", BREAKS, ids=[b.__name__.removeprefix("break_") for b in BREAKS])
def test_each_rule_catches_its_mistake(tree, breaker):
    path, rule = breaker(tree)
    done = validate(tree)
    assert done.returncode == 1, done.stdout
    assert f"{path}: {rule}: " in done.stdout, done.stdout
