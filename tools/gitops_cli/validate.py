"""`gitops validate`: every rule is one function yielding findings (path, rule, message)."""

from __future__ import annotations

import fnmatch
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import kubernetes_validate
import yaml

from gitops_cli.tree import MANIFEST_DIRS, RELEASE, TAG, Tree, chart_source, load_all, sources

KUBERNETES = "1.33"
Finding = tuple[str, str, str]
Doc = tuple[Path, dict]
# Ansible applies this project (roles/app_of_apps); it may only deploy into argocd.
BOOTSTRAP_PROJECT = {"metadata": {"name": "platform"},
                     "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "argocd"}]}}


def _rel(tree: Tree, path: Path) -> str:
    return path.relative_to(tree.root).as_posix()


def _name(obj: dict) -> str:
    return f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"


def _is_core(api_version: str) -> bool:
    """Kubernetes' own groups: none (v1), dot-less (apps, batch...) or *.k8s.io."""
    group = api_version.split("/")[0] if "/" in api_version else ""
    return "." not in group or group.endswith(".k8s.io")


def object_errors(obj: dict) -> list[str]:
    """kubernetes-validate (strict) for core kinds; other API groups (CRDs) need apiVersion, kind and a name."""
    if not _is_core(str(obj.get("apiVersion", ""))):
        ok = obj.get("kind") and (obj.get("metadata") or {}).get("name")
        return [] if ok else ["kind or metadata.name missing"]
    try:
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)
    except kubernetes_validate.utils.ValidationError as err:
        return [f"{err.message} at {'.'.join(str(p) for p in err.path) or '(top)'}"]
    except (kubernetes_validate.utils.SchemaNotFoundError, kubernetes_validate.utils.InvalidSchemaError) as err:
        return [str(err)]
    return []


def argo_errors(obj: dict) -> list[str]:
    """The shape the other rules rely on: a named object; an Application's project, destination, sources."""
    if not (obj.get("metadata") or {}).get("name"):
        return ["metadata.name missing"]
    spec = obj.get("spec")
    if obj["kind"] != "Application":
        return [] if isinstance(spec, dict) else ["spec missing"]
    if not isinstance(spec, dict) or not spec.get("project") or not isinstance(spec.get("destination"), dict):
        return ["spec.project and spec.destination are required"]
    if ("source" in spec) == ("sources" in spec):
        return ["exactly one of spec.source and spec.sources is required"]
    if not all(isinstance(s, dict) and s.get("repoURL") for s in sources(obj)):
        return ["every source needs a repoURL"]
    return []


def parse(tree: Tree) -> tuple[list[Doc], list[Finding]]:
    """Rule parse: every YAML file parses; each document of a manifest folder has apiVersion and kind."""
    docs, findings = [], []
    manifest_dirs = [tree.gitops / d for d in MANIFEST_DIRS]
    for path in tree.yaml_files():
        try:
            loaded = load_all(path)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            findings.append((_rel(tree, path), "parse", where + str(getattr(err, "problem", None) or err)))
            continue
        if not any(path.is_relative_to(d) for d in manifest_dirs):
            continue  # values, Chart.yaml, a chart's values.yaml: YAML, not manifests
        for doc in loaded:
            if isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind"):
                docs.append((path, doc))
            else:
                findings.append((_rel(tree, path), "parse", "a document without apiVersion and kind"))
    return docs, findings


def schema(tree: Tree, docs: list[Doc]) -> Iterator[Finding]:
    """Rule schema: core kinds are valid for the cluster's Kubernetes; Argo CD kinds have the needed shape."""
    for path, doc in docs:
        argo = str(doc["apiVersion"]).startswith("argoproj.io/")
        for error in argo_errors(doc) if argo else object_errors(doc):
            yield _rel(tree, path), "schema", f"{_name(doc)}: {error}"


def value_files(tree: Tree, app: dict) -> list[tuple[str, str | None]]:
    """(file relative to the repository, error) for each Helm value file, resolved the way Argo CD does."""
    chart = chart_source(app) or {}
    refs = {s["ref"] for s in sources(app) if "ref" in s}
    files: list[tuple[str, str | None]] = []
    for name in (chart.get("helm") or {}).get("valueFiles") or []:
        if name.startswith("$"):  # $ref/path: from the repository root of the source with that ref
            ref, _, rest = name[1:].partition("/")
            missing = None if ref in refs else f"value file {name}: no source has ref: {ref}"
            files.append((posixpath.normpath(rest), missing))
        else:  # relative to the chart path
            files.append((posixpath.normpath(posixpath.join(chart["path"], name)), None))
    return files


def source_paths(tree: Tree, apps: list[Doc]) -> Iterator[Finding]:
    """Rule source-path: every source path and value file exists in the repository."""
    for path, app in apps:
        chart = chart_source(app)
        if chart is None:
            continue
        if not (tree.root / chart["path"]).is_dir():
            yield _rel(tree, path), "source-path", f"path {chart['path']} does not exist"
        for file, error in value_files(tree, app):
            if error:
                yield _rel(tree, path), "source-path", error
            elif file.startswith("..") or not (tree.root / file).is_file():
                yield _rel(tree, path), "source-path", f"value file {file} does not exist in the repository"


def _dest_allowed(allowed: dict, dest: dict) -> bool:
    """Argo CD's destination match: namespace glob, and server glob (or cluster name glob)."""
    if not fnmatch.fnmatchcase(dest.get("namespace", ""), allowed.get("namespace", "")):
        return False
    key = "server" if "server" in dest else "name"
    return fnmatch.fnmatchcase(dest.get(key, ""), allowed.get(key, ""))


def projects(tree: Tree, apps: list[Doc], known: dict[str, dict]) -> Iterator[Finding]:
    """Rule project: the project exists and allows the destination and every source repository."""
    for path, app in apps:
        name = app["spec"]["project"]
        project = known.get(name)
        if project is None:
            yield _rel(tree, path), "project", f"project {name!r} is not defined (known: {', '.join(sorted(known))})"
            continue
        dest = app["spec"]["destination"]
        if not any(_dest_allowed(d, dest) for d in project["spec"].get("destinations") or []):
            yield (_rel(tree, path), "project",
                   f"destination {dest.get('server', dest.get('name'))} namespace {dest.get('namespace')!r} "
                   f"is not allowed by project {name!r}")
        for source in sources(app):
            if not any(fnmatch.fnmatchcase(source["repoURL"], r) for r in project["spec"].get("sourceRepos") or []):
                yield _rel(tree, path), "project", f"repository {source['repoURL']} is not allowed by project {name!r}"


def sync_policies(tree: Tree, apps: list[Doc]) -> Iterator[Finding]:
    """Rules prod-manual and dev-auto: the promotion model."""
    for path, app in apps:
        spec = app["spec"]
        automated = (spec.get("syncPolicy") or {}).get("automated")
        revision = str((chart_source(app) or {}).get("targetRevision", ""))
        if spec["project"] == "prod":
            if automated is not None:
                yield _rel(tree, path), "prod-manual", "prod must not sync automatically (a person syncs it)"
            if not RELEASE.match(revision):
                yield _rel(tree, path), "prod-manual", f"prod's chart must track a release tag vX.Y.Z, not {revision!r}"
        elif spec["project"] == "dev":
            if not automated or automated.get("prune") is not True or automated.get("selfHeal") is not True:
                yield _rel(tree, path), "dev-auto", "dev must sync automatically with prune: true and selfHeal: true"
            if revision != "main":
                yield _rel(tree, path), "dev-auto", f"dev must track main, not {revision!r}"


def _image_tags(node: object) -> Iterator[object]:
    """Every image.tag in a values document, however deep (image: {tag: ...})."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image" and isinstance(value, dict) and "tag" in value:
                yield value["tag"]
            yield from _image_tags(value)
    elif isinstance(node, list):
        for item in node:
            yield from _image_tags(item)


def image_tags(tree: Tree) -> Iterator[Finding]:
    """Rule image-tag: every environment sets a well-formed image.tag; base values set none."""
    for path in sorted((tree.gitops / "values").rglob("*.y*ml")):
        try:
            docs = load_all(path)
        except yaml.YAMLError:
            continue  # reported by parse
        tags = [tag for doc in docs for tag in _image_tags(doc)]
        if path.parent.name == "base":
            if tags:
                yield _rel(tree, path), "image-tag", "base values must not set image.tag (each environment does)"
            continue
        top = ((docs[0] if docs and isinstance(docs[0], dict) else {}).get("image") or {})
        if not isinstance(top, dict) or "tag" not in top:
            yield _rel(tree, path), "image-tag", "image.tag is not set: every environment pins its image"
        for tag in tags:
            if not TAG.match(str(tag)):
                yield _rel(tree, path), "image-tag", f"image.tag {tag!r} is not sha-<hex> or a version like v1.2.3"


def _kind_allowed(project: dict, obj: dict) -> bool:
    """Argo CD's resource filter: not blacklisted, and whitelisted when a whitelist is set."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    spec = project["spec"]

    def listed(entries: list[dict]) -> bool:
        return any(fnmatch.fnmatchcase(group, e.get("group", "")) and
                   fnmatch.fnmatchcase(obj["kind"], e.get("kind", "")) for e in entries or [])

    if listed(spec.get("namespaceResourceBlacklist")):
        return False
    allow = spec.get("namespaceResourceWhitelist")
    return not allow or listed(allow) or listed(spec.get("clusterResourceWhitelist"))


def helm_command(tree: Tree, app: dict, helm: str, scratch: Path) -> list[str]:
    """helm template of the Application: its chart, value files, inline values and parameters."""
    chart = chart_source(app) or {}
    options = chart.get("helm") or {}
    command = [helm, "template", options.get("releaseName") or app["metadata"]["name"], str(tree.root / chart["path"]),
               "--namespace", app["spec"]["destination"].get("namespace", "default")]
    for file, _ in value_files(tree, app):
        command += ["-f", str(tree.root / file)]
    inline = options.get("valuesObject") or options.get("values")
    if inline:
        (scratch / "inline.yaml").write_text(inline if isinstance(inline, str) else yaml.safe_dump(inline))
        command += ["-f", str(scratch / "inline.yaml")]
    for param in options.get("parameters") or []:
        flag = "--set-string" if param.get("forceString") else "--set"
        command += [flag, f"{param['name']}={param.get('value', '')}"]
    return command


def renderable(tree: Tree, apps: list[Doc]) -> Iterator[Doc]:
    """The service Applications with a chart source whose value files all exist."""
    for path, app in apps:
        if not path.is_relative_to(tree.gitops / "services") or chart_source(app) is None:
            continue
        if any(error or not (tree.root / file).is_file() for file, error in value_files(tree, app)):
            continue  # reported by source-path
        yield path, app


def helm_template(tree: Tree, app: dict, helm: str) -> subprocess.CompletedProcess:
    """Run helm template for one Application, the way Argo CD renders it."""
    with tempfile.TemporaryDirectory() as scratch:  # also helm's home: no cache or repositories needed
        env = {**os.environ, "HELM_CACHE_HOME": scratch, "HELM_CONFIG_HOME": scratch, "HELM_DATA_HOME": scratch}
        return subprocess.run(helm_command(tree, app, helm, Path(scratch)), capture_output=True, text=True, env=env)


def render(tree: Tree, apps: list[Doc], known: dict[str, dict], helm: str) -> Iterator[Finding]:
    """Rule render: each service Application's chart renders with its values into valid objects."""
    for path, app in renderable(tree, apps):
        done = helm_template(tree, app, helm)
        if done.returncode != 0:
            yield _rel(tree, path), "render", f"helm template failed: {' '.join(done.stderr.split())}"
            continue
        project = known.get(app["spec"]["project"])
        for obj in yaml.safe_load_all(done.stdout):
            if not obj:
                continue
            for error in object_errors(obj):
                yield _rel(tree, path), "render", f"{_name(obj)}: {error}"
            if project and obj.get("kind") and not _kind_allowed(project, obj):
                name = project["metadata"]["name"]
                yield _rel(tree, path), "project", f"{_name(obj)}: kind not permitted by project {name!r}"


def find_helm() -> str | None:
    """helm on PATH, else the one scripts/bootstrap.sh puts beside the venv's python."""
    beside = Path(sys.executable).parent / "helm"
    return shutil.which("helm") or (str(beside) if beside.is_file() else None)


def _argo(docs: list[Doc], kind: str) -> list[Doc]:
    """The Argo CD objects of one kind that have the shape the rules rely on (schema reports the others)."""
    return [(p, d) for p, d in docs
            if d["kind"] == kind and str(d["apiVersion"]).startswith("argoproj.io/") and not argo_errors(d)]


def render_to(tree: Tree, out: Path) -> list[Path]:
    """Write each service Application's rendered manifests to OUT/<env>-<app>.yaml (for scanners
    such as trivy config, which skips folders named dev); raises RuntimeError when helm fails."""
    helm = find_helm()
    if not helm:
        raise RuntimeError("helm is not on PATH (scripts/bootstrap.sh installs one)")
    docs, _ = parse(tree)
    written = []
    for path, app in renderable(tree, _argo(docs, "Application")):
        done = helm_template(tree, app, helm)
        if done.returncode != 0:
            raise RuntimeError(f"{_rel(tree, path)}: helm template failed: {' '.join(done.stderr.split())}")
        target = out / "-".join(path.relative_to(tree.gitops / "services").parts)
        out.mkdir(parents=True, exist_ok=True)
        target.write_text(done.stdout)
        written.append(target)
    return written


def run(tree: Tree, use_helm: bool = True) -> tuple[list[Finding], str]:
    """Every rule; returns the findings and a note on what was skipped ("" when nothing was)."""
    docs, findings = parse(tree)
    findings += schema(tree, docs)
    apps = _argo(docs, "Application")
    known = {d["metadata"]["name"]: d for _, d in _argo(docs, "AppProject")}
    known.setdefault("platform", BOOTSTRAP_PROJECT)
    findings += source_paths(tree, apps)
    findings += projects(tree, apps, known)
    findings += sync_policies(tree, apps)
    findings += image_tags(tree)
    helm = find_helm() if use_helm else None
    if helm:
        findings += render(tree, apps, known, helm)
        return findings, ""
    return findings, "render skipped: " + ("--no-helm" if not use_helm else "helm is not on PATH")
