"""`gitops validate`: the real tree passes; each rule fails on a copy broken in that one way."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELM_ON_PATH = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # the venv's helm
CHARTS_PRESENT = all((ROOT / "gitops/charts" / c / "Chart.yaml").is_file() for c in ("service", "mongodb"))


def validate(root: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / "gitops"), "--root", str(root), "validate", *options],
                          capture_output=True, text=True, env=HELM_ON_PATH, timeout=300)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def tiny_chart(root: Path, app: str, templates: dict[str, str]) -> None:
    """A small chart of the test's own (gitops/charts/tiny), used by the Application file app."""
    chart = root / "gitops/charts/tiny"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: tiny\nversion: 0.1.0\n")
    for name, text in templates.items():
        (chart / "templates" / name).write_text(text)
    edit(root / app, "path: gitops/charts/", "path: gitops/charts/tiny\n    # was ")


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: %s
  selector: {matchLabels: {app: tiny}}
  template:
    metadata: {labels: {app: tiny}}
    spec:
      containers: [{name: tiny, image: "tiny:{{ .Values.image.tag }}"}]
"""


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copytree(ROOT / "gitops", tmp_path / "gitops")
    return tmp_path


def test_the_real_tree_is_valid():
    done = validate(ROOT) if CHARTS_PRESENT else validate(ROOT, "--no-helm")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("gitops tree valid:") and len(done.stdout.splitlines()) == 1
    assert ("skipped" in done.stdout) != CHARTS_PRESENT


def test_no_helm_says_render_was_skipped(tree):
    done = validate(tree, "--no-helm")
    assert done.returncode == 0 and "(render skipped: --no-helm)" in done.stdout


def break_parse(root):
    edit(root / "gitops/services/dev/cart.yaml", "spec:\n", "spec:\n  - [unclosed\n")
    return "gitops/services/dev/cart.yaml", "parse"


def break_parse_without_kind(root):
    edit(root / "gitops/platform/prod/appproject.yaml", "kind: AppProject\n", "")
    return "gitops/platform/prod/appproject.yaml", "parse"


def break_parse_values(root):
    edit(root / "gitops/values/base/order.yaml", "image:\n", "image: [\n")
    return "gitops/values/base/order.yaml", "parse"


def break_schema(root):
    (root / "gitops/platform/dev/quota.yaml").write_text(
        "---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\nspec:\n  hard: 12\n")
    return "gitops/platform/dev/quota.yaml", "schema"


def break_schema_application(root):
    edit(root / "gitops/services/dev/order.yaml", "  destination:\n", "  elsewhere:\n")
    return "gitops/services/dev/order.yaml", "schema"


def break_source_path(root):
    (root / "gitops/values/dev/order.yaml").unlink()
    return "gitops/services/dev/order.yaml", "source-path"


def break_source_path_ref(root):
    edit(root / "gitops/services/prod/order.yaml", "ref: values", "ref: other")
    return "gitops/services/prod/order.yaml", "source-path"


def break_project_namespace(root):
    edit(root / "gitops/services/dev/product.yaml", "namespace: shopfront-dev", "namespace: kube-system")
    return "gitops/services/dev/product.yaml", "project"


def break_project_unknown(root):
    edit(root / "gitops/services/dev/cart.yaml", "project: dev", "project: staging")
    return "gitops/services/dev/cart.yaml", "project"


def break_project_repository(root):
    edit(root / "gitops/services/prod/cart.yaml", "repoURL: https://github.com/acme/shopfront.git",
         "repoURL: https://github.com/mallory/shopfront.git")
    return "gitops/services/prod/cart.yaml", "project"


def break_project_platform_namespace(root):
    edit(root / "gitops/apps/prod/platform.yaml", "namespace: argocd\n  syncPolicy", "namespace: default\n  syncPolicy")
    return "gitops/apps/prod/platform.yaml", "project"


def break_project_kind(root):
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n"
    tiny_chart(root, "gitops/services/dev/order.yaml", {"deployment.yaml": DEPLOYMENT % 1, "secret.yaml": secret})
    return "gitops/services/dev/order.yaml", "project"


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


def break_dev_revision(root):
    edit(root / "gitops/services/dev/cart.yaml", "targetRevision: main", "targetRevision: v0.1.0")
    return "gitops/services/dev/cart.yaml", "dev-auto"


def break_image_tag(root):
    edit(root / "gitops/values/dev/cart.yaml", "tag: v0.1.0", "tag: latest")
    return "gitops/values/dev/cart.yaml", "image-tag"


def break_image_tag_in_base(root):
    edit(root / "gitops/values/base/cart.yaml", "image:\n", "image:\n  tag: v0.1.0\n")
    return "gitops/values/base/cart.yaml", "image-tag"


def break_render(root):
    tiny_chart(root, "gitops/services/prod/product.yaml", {"deployment.yaml": DEPLOYMENT % '"two"'})
    return "gitops/services/prod/product.yaml", "render"


BREAKS = [break_parse, break_parse_without_kind, break_parse_values, break_schema, break_schema_application,
          break_source_path, break_source_path_ref, break_project_namespace, break_project_unknown,
          break_project_repository, break_project_platform_namespace, break_project_kind, break_prod_manual,
          break_prod_branch, break_dev_auto, break_dev_revision, break_image_tag, break_image_tag_in_base,
          break_render]


# Only these need the charts rendered; the others run with --no-helm to keep the suite quick.
RENDERED = {break_project_kind, break_render}


@pytest.mark.parametrize("breaker", BREAKS, ids=[b.__name__.removeprefix("break_") for b in BREAKS])
def test_each_rule_catches_its_mistake(tree, breaker):
    path, rule = breaker(tree)
    done = validate(tree) if breaker in RENDERED else validate(tree, "--no-helm")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{path}: {rule}: " in done.stdout, done.stdout
    assert "Traceback" not in done.stderr, done.stderr


def test_render_names_the_object(tree):
    break_render(tree)
    done = validate(tree)
    assert "gitops/services/prod/product.yaml: render: Deployment/product: " in done.stdout, done.stdout


def test_render_writes_each_application_as_argo_cd_renders_it(tmp_path):
    out = tmp_path / "rendered"
    done = subprocess.run([str(ROOT / "scripts" / "gitops"), "--root", str(ROOT), "render", "--out", str(out)],
                          capture_output=True, text=True, env=HELM_ON_PATH, timeout=300)
    assert done.returncode == 0, done.stderr
    apps = sorted(p.stem for p in (ROOT / "gitops/services").glob("*/*.yaml"))
    files = sorted(p.stem for p in out.iterdir())
    assert files == sorted(f"{p.parent.name}-{p.stem}" for p in (ROOT / "gitops/services").glob("*/*.yaml"))
    assert len(files) == len(apps) >= 10
    prod_order = (out / "prod-order.yaml").read_text()
    assert "kind: Deployment" in prod_order and "namespace: shopfront-prod" in prod_order


def test_render_fails_with_the_application_when_helm_fails(tree, tmp_path):
    edit(tree / "gitops/charts/service/templates/service.yaml", "kind: Service", "kind: Service\n{{ fail \"broken\" }}")
    done = subprocess.run([str(ROOT / "scripts" / "gitops"), "--root", str(tree), "render", "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env=HELM_ON_PATH, timeout=300)
    assert done.returncode == 1 and "helm template failed" in done.stderr and "broken" in done.stderr
