"""The GitOps charts (gitops/charts/service, gitops/charts/mongodb) lint cleanly and render, for
every service Application, exactly as Argo CD renders them: valid Kubernetes 1.33 objects of the
kinds the environment's AppProject allows, hardened pods, the environment's sizing, and a schema
that rejects the usual mistakes."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HELM = Path(sys.executable).parent / "helm"
KUBE_VERSION = "1.33"
APP_FILES = sorted((ROOT / "gitops" / "services").glob("*/*.yaml"))
CUSTOM_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}
MONGO_CLIENTS = {"product", "cart", "order"}


def app_id(path: Path) -> str:
    return f"{path.parent.name}-{path.stem}"


def load_app(path: Path) -> dict:
    return next(d for d in yaml.safe_load_all(path.read_text()) if d and d.get("kind") == "Application")


@functools.lru_cache(maxsize=None)
def argo_render_args(path: Path) -> tuple[str, str, str, Path, tuple[Path, ...]]:
    """(env, release, namespace, chart, value files) of an Application, resolved as Argo CD does:
    the source with a `path` is the chart; relative value files are relative to the chart, `$values/`
    ones to the root of the `ref: values` source (this repository)."""
    app = load_app(path)
    spec = app["spec"]
    sources = spec.get("sources") or [spec["source"]]
    chart_source = next(s for s in sources if "path" in s)
    refs = {s["ref"] for s in sources if "ref" in s}
    chart = ROOT / chart_source["path"]
    helm = chart_source.get("helm", {})
    files = []
    for name in helm.get("valueFiles", []):
        if name.startswith("$"):
            ref, _, rest = name[1:].partition("/")
            assert ref in refs, f"{path.name}: value file {name} names no ref source"
            files.append((ROOT / rest).resolve())
        else:
            files.append((chart / name).resolve())
    for f in files:
        assert f.is_file(), f"{path.name}: value file {f} does not exist"
    release = helm.get("releaseName", app["metadata"]["name"])
    return path.parent.name, release, spec["destination"]["namespace"], chart, tuple(files)


def helm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(HELM), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def template(release: str, chart: Path, namespace: str, *values: Path) -> subprocess.CompletedProcess:
    args = ["template", release, str(chart), "--namespace", namespace, "--kube-version", f"{KUBE_VERSION}.0"]
    for v in values:
        args += ["-f", str(v)]
    return helm(*args)


@functools.lru_cache(maxsize=None)
def rendered(path: Path) -> tuple[dict, ...]:
    _, release, namespace, chart, files = argo_render_args(path)
    done = template(release, chart, namespace, *files)
    assert done.returncode == 0, done.stderr
    return tuple(d for d in yaml.safe_load_all(done.stdout) if d)


def objects(path: Path, kind: str) -> list[dict]:
    return [o for o in rendered(path) if o["kind"] == kind]


def env_values(path: Path) -> dict:
    """The env overlay (last value file) of an Application."""
    return yaml.safe_load(argo_render_args(path)[4][-1].read_text())


def project_kinds(env: str) -> set[tuple[str, str]]:
    found = [d for f in (ROOT / "gitops" / "platform" / env).glob("*.yaml") for d in yaml.safe_load_all(f.read_text())
             if d and d.get("kind") == "AppProject" and d["metadata"]["name"] == env]
    assert len(found) == 1, f"no AppProject {env} in gitops/platform/{env}"
    return {(k["group"], k["kind"]) for k in found[0]["spec"].get("namespaceResourceWhitelist", [])}


def pod_workloads(path: Path) -> list[dict]:
    return [o for o in rendered(path) if o["kind"] in ("Deployment", "StatefulSet")]


def is_service_chart(path: Path) -> bool:
    return argo_render_args(path)[3].name == "service"


apps = pytest.mark.parametrize("app", APP_FILES, ids=app_id)
service_apps = pytest.mark.parametrize("app", [p for p in APP_FILES if is_service_chart(p)], ids=app_id)


def test_every_service_and_environment_has_an_application():
    assert {app_id(p) for p in APP_FILES} == {f"{env}-{svc}" for env in ("dev", "prod")
                                              for svc in ("frontend", "product", "cart", "order", "mongodb")}


@apps
def test_helm_lint_strict(app):
    _, release, namespace, chart, files = argo_render_args(app)
    args = ["lint", "--strict", str(chart), "--namespace", namespace]
    for f in files:
        args += ["-f", str(f)]
    done = helm(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[WARNING]" not in done.stdout and "[ERROR]" not in done.stdout, done.stdout


@apps
def test_render_is_valid_for_kubernetes_and_allowed_by_the_project(app):
    env, _, namespace, _, _ = argo_render_args(app)
    allowed = project_kinds(env)
    objs = rendered(app)
    assert objs
    for obj in objs:
        api_version, kind = obj["apiVersion"], obj["kind"]
        name = f"{kind}/{obj.get('metadata', {}).get('name')}"
        group = api_version.rpartition("/")[0]
        assert (group, kind) in allowed, f"{name}: {group or 'core'}/{kind} is not allowed by AppProject {env}"
        # Explicit (scanners flag a namespace-less workload) and always the Application's destination.
        assert obj["metadata"].get("namespace") == namespace, f"{name}: not in the destination namespace"
        if (api_version, kind) in CUSTOM_KINDS:
            assert obj["metadata"]["name"] and isinstance(obj.get("spec"), dict), name
            continue
        try:
            kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            pytest.fail(f"{name}: {e.message} at {'.'.join(map(str, e.path))}")
    names = [(o["kind"], o["metadata"]["name"]) for o in objs]
    assert len(names) == len(set(names)), names


@apps
def test_pods_are_hardened_and_sized(app):
    workloads = pod_workloads(app)
    assert len(workloads) == 1
    for workload in workloads:
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        tmp = {m["mountPath"]: m["name"] for c in pod["containers"] for m in c.get("volumeMounts", [])}
        assert "/tmp" in tmp and {v["name"]: v for v in pod["volumes"]}[tmp["/tmp"]].get("emptyDir") is not None
        for c in pod["containers"]:
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False, c["name"]
            assert sc["readOnlyRootFilesystem"] is True, c["name"]
            assert sc["capabilities"]["drop"] == ["ALL"], c["name"]
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][part]), f"{c['name']}: {part}"
            assert c["resources"] == env_values(app)["resources"]
            assert c["startupProbe"] and c["livenessProbe"] and c["readinessProbe"]
            tag = str(env_values(app)["image"]["tag"])
            assert tag != "latest" and c["image"].endswith(":" + tag)


@service_apps
def test_service_probes_and_service(app):
    deployment = objects(app, "Deployment")[0]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert {"name": "http", "containerPort": 8080, "protocol": "TCP"} in container["ports"]
    (service,) = objects(app, "Service")
    assert service["spec"]["type"] == "ClusterIP"
    (port,) = service["spec"]["ports"]
    assert {k: port[k] for k in ("name", "port", "targetPort")} == {"name": "http", "port": 8080, "targetPort": "http"}
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/part-of"] == "shopfront"  # MongoDB's NetworkPolicy admits these
    assert labels["app.kubernetes.io/instance"] == argo_render_args(app)[1]


@service_apps
def test_environment_scaling(app):
    env = argo_render_args(app)[0]
    deployment = objects(app, "Deployment")[0]
    hpas, pdbs = objects(app, "HorizontalPodAutoscaler"), objects(app, "PodDisruptionBudget")
    if env == "prod":
        assert "replicas" not in deployment["spec"], "the HPA owns the replica count in prod"
        (hpa,) = hpas
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": deployment["metadata"]["name"]}
        assert hpa["spec"]["minReplicas"] >= 2
        (pdb,) = pdbs
        assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    else:
        assert deployment["spec"]["replicas"] == env_values(app)["replicaCount"]
        assert not hpas and not pdbs


@service_apps
def test_ingress_on_the_shared_alb(app):
    values = env_values(app)
    (ingress,) = objects(app, "Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert ingress["spec"]["ingressClassName"] == "alb"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == values["ingress"]["host"]
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert annotations["alb.ingress.kubernetes.io/group.name"] == values["ingress"]["groupName"]
    assert annotations["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP":80},{"HTTPS":443}]'
    assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert annotations["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
    assert annotations["alb.ingress.kubernetes.io/ssl-policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert annotations["alb.ingress.kubernetes.io/healthcheck-path"] == "/ready"
    assert "alb.ingress.kubernetes.io/certificate-arn" not in annotations  # discovered by host
    base = yaml.safe_load(argo_render_args(app)[4][0].read_text())
    assert annotations["alb.ingress.kubernetes.io/group.order"] == str(base["ingress"]["groupOrder"])
    assert rule["http"]["paths"][0]["path"] == base["ingress"]["path"]
    # the ALB targets pod IPs: the NetworkPolicy must admit it on the http port
    (policy,) = objects(app, "NetworkPolicy")
    assert {"ports": [{"port": "http", "protocol": "TCP"}]} in policy["spec"]["ingress"]


def test_frontend_ingress_is_the_catch_all_and_goes_last():
    for env in ("dev", "prod"):
        app = ROOT / "gitops" / "services" / env / "frontend.yaml"
        (ingress,) = objects(app, "Ingress")
        assert ingress["spec"]["rules"][0]["host"] == f"shop.{env}.shopfront.example.com"
        assert ingress["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/"
        apis = [objects(ROOT / "gitops" / "services" / env / f"{svc}.yaml", "Ingress")[0]
                for svc in ("product", "cart", "order")]
        orders = [int(i["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.order"]) for i in apis]
        assert int(ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/group.order"]) > max(orders)


@service_apps
def test_mongodb_uri_comes_from_the_secret(app):
    release = argo_render_args(app)[1]
    (container,) = objects(app, "Deployment")[0]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container.get("env", [])}
    if release not in MONGO_CLIENTS:
        assert not {"MONGODB_URI", "MONGODB_USERNAME", "MONGODB_PASSWORD"} & set(env)
        return
    database = yaml.safe_load(argo_render_args(app)[4][0].read_text())["mongodb"]["database"]
    for name, key in (("MONGODB_USERNAME", "username"), ("MONGODB_PASSWORD", "password")):
        assert env[name]["valueFrom"]["secretKeyRef"] == {"name": "mongodb-credentials", "key": key}
    assert env["MONGODB_URI"]["value"] == (
        f"mongodb://$(MONGODB_USERNAME):$(MONGODB_PASSWORD)@mongodb:27017/{database}?authSource=admin")
    names = [e["name"] for e in container["env"]]
    # $(VAR) expands only variables defined earlier in the list
    assert names.index("MONGODB_USERNAME") < names.index("MONGODB_URI")
    assert names.index("MONGODB_PASSWORD") < names.index("MONGODB_URI")
    assert "value" not in env["MONGODB_PASSWORD"]


def test_extra_env_is_rendered_sorted(tmp_path):
    app = ROOT / "gitops" / "services" / "dev" / "order.yaml"
    _, release, namespace, chart, files = argo_render_args(app)
    extra = tmp_path / "env.yaml"
    extra.write_text(yaml.safe_dump({"env": {"ZED": "z", "ALPHA": 1, "MIDDLE": True}}))
    done = template(release, chart, namespace, *files, extra)
    assert done.returncode == 0, done.stderr
    (deployment,) = [d for d in yaml.safe_load_all(done.stdout) if d and d["kind"] == "Deployment"]
    env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    extra_names = [e["name"] for e in env if not e["name"].startswith("MONGODB_")]
    assert extra_names == ["ALPHA", "MIDDLE", "PRODUCT_API_URL", "ZED"]
    assert all(isinstance(e.get("value", ""), str) for e in env)


def test_mongodb_statefulset():
    for env in ("dev", "prod"):
        app = ROOT / "gitops" / "services" / env / "mongodb.yaml"
        values = env_values(app)
        (sts,) = objects(app, "StatefulSet")
        (service,) = objects(app, "Service")
        assert sts["metadata"]["name"] == service["metadata"]["name"] == "mongodb"
        assert sts["spec"]["serviceName"] == "mongodb" and sts["spec"]["replicas"] == 1
        assert service["spec"]["clusterIP"] == "None" and service["spec"]["ports"][0]["port"] == 27017
        (claim,) = sts["spec"]["volumeClaimTemplates"]
        assert claim["metadata"]["name"] == "data"
        assert claim["spec"]["resources"]["requests"]["storage"] == values["persistence"]["size"]
        assert "storageClassName" not in claim["spec"]  # the cluster's default class
        pod = sts["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsUser"] == 10001 and pod["securityContext"]["fsGroup"] == 10001
        (c,) = pod["containers"]
        assert c["image"] == f"docker.io/library/mongo:{values['image']['tag']}"
        env_vars = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in c["env"] if "valueFrom" in e}
        assert env_vars == {"MONGO_INITDB_ROOT_USERNAME": {"name": "mongodb-credentials", "key": "username"},
                            "MONGO_INITDB_ROOT_PASSWORD": {"name": "mongodb-credentials", "key": "password"}}
        ping = ["mongosh", "--quiet", "--eval", "db.adminCommand('ping')"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert c[probe]["exec"]["command"] == ping
        assert {m["mountPath"] for m in c["volumeMounts"]} == {"/data/db", "/data/configdb", "/tmp"}
        (policy,) = objects(app, "NetworkPolicy")
        assert policy["spec"]["ingress"] == [{
            "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "shopfront"}}}],
            "ports": [{"port": 27017, "protocol": "TCP"}]}]
        assert not objects(app, "PodDisruptionBudget")


def broken_values(app: Path, tmp_path: Path, change) -> Path:
    """The Application's env overlay with one mistake, as a file that replaces it."""
    values = env_values(app)
    change(values)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


def _drop_limits(v):
    del v["resources"]["limits"]


def _drop_limit_memory(v):
    del v["resources"]["limits"]["memory"]


def _latest(v):
    v["image"]["tag"] = "latest"


def _typo(v):
    v["replicaCont"] = v.pop("replicaCount")


def _ingress_typo(v):
    v["ingress"]["hots"] = v["ingress"].pop("host")


def _no_tag(v):
    del v["image"]["tag"]


def _no_secret(v):
    v["auth"] = {"existingSecret": ""}


@pytest.mark.parametrize("app_name,change,message", [
    ("cart", _drop_limits, "missing property 'limits'"),
    ("cart", _drop_limit_memory, "missing property 'memory'"),
    ("frontend", _latest, "'latest' does not match pattern"),
    ("order", _typo, "additional properties 'replicaCont' not allowed"),
    ("product", _ingress_typo, "additional properties 'hots' not allowed"),
    ("cart", _no_tag, "image.tag is required"),
    ("mongodb", _drop_limits, "missing property 'limits'"),
    ("mongodb", _latest, "'latest' does not match pattern"),
    ("mongodb", _no_tag, "image.tag is required"),
    ("mongodb", _no_secret, "auth.existingSecret is required"),
], ids=["no-limits", "no-memory-limit", "tag-latest", "top-level-typo", "nested-typo", "no-tag",
        "mongodb-no-limits", "mongodb-tag-latest", "mongodb-no-tag", "mongodb-no-secret"])
def test_mistakes_fail_helm_template(tmp_path, app_name, change, message):
    app = ROOT / "gitops" / "services" / "dev" / f"{app_name}.yaml"
    _, release, namespace, chart, files = argo_render_args(app)
    done = template(release, chart, namespace, *files[:-1], broken_values(app, tmp_path, change))
    assert done.returncode != 0, done.stdout
    assert message in done.stderr, done.stderr


def test_ingress_needs_a_host(tmp_path):
    app = ROOT / "gitops" / "services" / "dev" / "cart.yaml"
    _, release, namespace, chart, files = argo_render_args(app)
    done = template(release, chart, namespace, *files[:-1], broken_values(app, tmp_path,
                                                                           lambda v: v["ingress"].pop("host")))
    # the chart's default host is "": the schema's if/then demands a non-empty one
    assert done.returncode != 0 and "at '/ingress/host': minLength" in done.stderr, done.stderr


def test_certificate_arn_is_passed_when_set(tmp_path):
    app = ROOT / "gitops" / "services" / "prod" / "frontend.yaml"
    _, release, namespace, chart, files = argo_render_args(app)
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
    extra = tmp_path / "cert.yaml"
    extra.write_text(yaml.safe_dump({"ingress": {"certificateArn": arn}}))
    done = template(release, chart, namespace, *files, extra)
    assert done.returncode == 0, done.stderr
    (ingress,) = [d for d in yaml.safe_load_all(done.stdout) if d and d["kind"] == "Ingress"]
    assert ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/certificate-arn"] == arn
