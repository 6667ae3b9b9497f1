"""`gitops validate`: every rule is one function returning findings (path, rule, message)."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate
import yaml

from gitops_cli.tree import RELEASE, TAG, Tree, chart_source, load_all

KUBERNETES = "1.33"
Finding = tuple[str, str, str]
# Ansible applies this project (roles/app_of_apps); it may only hold Argo CD objects in argocd.
BOOTSTRAP_PROJECT = {"metadata": {"name": "platform"},
                     "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "argocd"}]}}


def _rel(tree: Tree, path: Path) -> str:
    return str(path.relative_to(tree.root))


def _is_core(api_version: str) -> bool:
    """Kubernetes' own groups: none (v1), dot-less (apps, batch...) or *.k8s.io."""
    group = api_version.split("/")[0] if "/" in api_version else ""
    return "." not in group or group.endswith(".k8s.io")


def _core_errors(obj: dict) -> list[str]:
    """kubernetes-validate for core kinds; other API groups (CRDs) need only a name."""
    if not _is_core(obj.get("apiVersion", "")):
        return [] if obj.get("metadata", {}).get("name") else ["metadata.name missing"]
    try:
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)
    except kubernetes_validate.utils.ValidationError as err:
        return [f"{err.message} at {'.'.join(str(p) for p in err.path)}"]
    except (kubernetes_validate.utils.SchemaNotFoundError, kubernetes_validate.utils.InvalidSchemaError) as err:
        return [str(err)]
    return []


def manifests(tree: Tree) -> tuple[list[tuple[Path, dict]], list[Finding]]:
    """Rule parse: every manifest parses and each document names apiVersion and kind."""
    docs, findings = [], []
    for path in tree.manifests():
        try:
            loaded = load_all(path)
        except yaml.YAMLError as err:
            findings.append((_rel(tree, path), "parse", str(err).replace("\n", " ")))
            continue
        for doc in loaded:
            if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
                findings.append((_rel(tree, path), "parse", "a document without apiVersion and kind"))
            else:
                docs.append((path, doc))
    for path in (tree.gitops / "values").rglob("*.y*ml"):
        try:
            load_all(path)
        except yaml.YAMLError as err:
            findings.append((_rel(tree, path), "parse", str(err).replace("\n", " ")))
    return docs, findings


def schema(tree: Tree, docs: list[tuple[Path, dict]]) -> Iterator[Finding]:
    """Rule schema: core kinds are valid for the cluster's Kubernetes version."""
    for path, doc in docs:
        if _is_core(doc["apiVersion"]):
            for error in _core_errors(doc):
                yield _rel(tree, path), "schema", f"{doc['kind']}/{doc.get('metadata', {}).get('name')}: {error}"


def _sources(app: dict) -> list[dict]:
    spec = app["spec"]
    return spec.get("sources") or [spec["source"]]


def value_files(tree: Tree, app: dict) -> list[Path]:
    """The Application's Helm value files, resolved the way Argo CD resolves them."""
    source = chart_source(app)
    files = []
    for name in source.get("helm", {}).get("valueFiles", []):
        if name.startswith("$"):
            files.append(tree.root / name.split("/", 1)[1])
        else:
            files.append((tree.root / source["path"] / name).resolve())
    return files


def source_paths(tree: Tree, apps: list[tuple[Path, dict]]) -> Iterator[Finding]:
    """Rule source-path: every source path and value file exists in the repository."""
    for path, app in apps:
        for source in _sources(app):
            if "path" in source and not (tree.root / source["path"]).is_dir():
                yield _rel(tree, path), "source-path", f"path {source['path']} does not exist"
        if any("path" in s for s in _sources(app)):
            for file in value_files(tree, app):
                if not file.is_file():
                    yield _rel(tree, path), "source-path", f"value file {file.relative_to(tree.root)} does not exist"


def projects(tree: Tree, apps: list[tuple[Path, dict]], known: dict[str, dict]) -> Iterator[Finding]:
    """Rule project: the project exists, allows the destination and every source repository."""
    for path, app in apps:
        name = app["spec"].get("project", "default")
        project = known.get(name)
        if project is None:
            yield _rel(tree, path), "project", f"project {name!r} is not defined (known: {', '.join(sorted(known))})"
            continue
        dest = app["spec"]["destination"]
        allowed = project["spec"].get("destinations", [])
        if not any(fnmatch.fnmatchcase(dest.get("namespace", ""), d.get("namespace", "")) and
                   fnmatch.fnmatchcase(dest.get("server", ""), d.get("server", "*")) for d in allowed):
            yield _rel(tree, path), "project", f"destination namespace {dest.get('namespace')!r} is not allowed by project {name!r}"
        for source in _sources(app):
            if not any(fnmatch.fnmatchcase(source["repoURL"], r) for r in project["spec"].get("sourceRepos", [])):
                yield _rel(tree, path), "project", f"repository {source['repoURL']} is not allowed by project {name!r}"


def sync_policies(tree: Tree, apps: list[tuple[Path, dict]]) -> Iterator[Finding]:
    """Rules prod-manual and dev-auto: the promotion model."""
    for path, app in apps:
        project, spec = app["spec"].get("project"), app["spec"]
        automated = (spec.get("syncPolicy") or {}).get("automated")
        revision = str(chart_source(app).get("targetRevision", ""))
        if project == "prod":
            if automated is not None:
                yield _rel(tree, path), "prod-manual", "prod must not sync automatically (a person syncs it)"
            if not RELEASE.match(revision):
                yield _rel(tree, path), "prod-manual", f"prod must track a release tag vX.Y.Z, not {revision!r}"
        elif project == "dev":
            if not automated or automated.get("prune") is not True or automated.get("selfHeal") is not True:
                yield _rel(tree, path), "dev-auto", "dev must sync automatically with prune and selfHeal"
            if revision != "main":
                yield _rel(tree, path), "dev-auto", f"dev must track main, not {revision!r}"


def image_tags(tree: Tree) -> Iterator[Finding]:
    """Rule image-tag: every environment's tag is well formed; base values set none."""
    for path in sorted((tree.gitops / "values").rglob("*.yaml")):
        try:
            image = (load_all(path) or [{}])[0].get("image") or {}
        except yaml.YAMLError:
            continue  # reported by parse
        tag = image.get("tag")
        if path.parent.name == "base":
            if tag is not None:
                yield _rel(tree, path), "image-tag", "base values must not set image.tag (environments do)"
        elif tag is None or not TAG.match(str(tag)):
            yield _rel(tree, path), "image-tag", f"image.tag {tag!r} is not sha-<hex> or a version like v1.2.3"


def render(tree: Tree, apps: list[tuple[Path, dict]], helm: str) -> Iterator[Finding]:
    """Rule render: each service Application's chart renders with its values into valid objects."""
    for path, app in apps:
        if not path.is_relative_to(tree.gitops / "services"):
            continue
        source = chart_source(app)
        files = value_files(tree, app)
        if not all(f.is_file() for f in files):
            continue  # reported by source-path
        command = [helm, "template", source.get("helm", {}).get("releaseName", app["metadata"]["name"]),
                   str(tree.root / source["path"]), "--namespace", app["spec"]["destination"]["namespace"]]
        for file in files:
            command += ["-f", str(file)]
        with tempfile.TemporaryDirectory() as home:  # helm needs no cache or repositories here
            done = subprocess.run(command, capture_output=True, text=True, env={"HELM_CACHE_HOME": home,
                                  "HELM_CONFIG_HOME": home, "HELM_DATA_HOME": home, "PATH": "/usr/bin:/bin"})
        if done.returncode != 0:
            yield _rel(tree, path), "render", f"helm template failed: {done.stderr.strip()}"
            continue
        for obj in yaml.safe_load_all(done.stdout):
            if obj:
                for error in _core_errors(obj):
                    yield _rel(tree, path), "render", f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}: {error}"


def run(tree: Tree, use_helm: bool = True) -> tuple[list[Finding], list[str]]:
    """Every rule; returns the findings and notes on what was skipped."""
    docs, findings = manifests(tree)
    apps = [(p, d) for p, d in docs if d["kind"] == "Application"]
    known = {d["metadata"]["name"]: d for _, d in docs if d["kind"] == "AppProject"}
    known.setdefault("platform", BOOTSTRAP_PROJECT)
    findings += schema(tree, docs)
    findings += source_paths(tree, apps)
    findings += projects(tree, apps, known)
    findings += sync_policies(tree, apps)
    findings += image_tags(tree)
    notes = []
    beside = Path(sys.executable).parent / "helm"  # the venv's helm (scripts/bootstrap.sh)
    helm = (shutil.which("helm") or (str(beside) if beside.is_file() else None)) if use_helm else None
    if helm:
        findings += render(tree, apps, helm)
    else:
        notes.append("render skipped: " + ("--no-helm" if not use_helm else "helm is not on PATH"))
    return findings, notes
