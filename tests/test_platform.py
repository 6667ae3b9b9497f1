"""The platform phase (playbooks/platform.yml) as site.yml and teardown.yml run it, with the
Terraform outputs given as facts:

- install: on the Kubernetes API emulator with the stand-in charts (tests/charts), every
  release lands in its wave, Argo CD's root Application and projects are applied, a second
  run changes nothing, and teardown removes it all in the safe order (Argo CD's auto-sync
  suspended, every Application deleted with cascade, then the Ingresses and LoadBalancer
  Services while the load balancer controller still runs), checked against a fake Argo CD and
  load balancer controller; a drain that cannot finish fails within its timeout, naming what is left;
- render: with no reachable cluster, every release and Argo CD object is written to the state
  folder and validated, a second run changes nothing, and teardown removes the folder.
"""

from __future__ import annotations


import base64
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, playbook

# role -> (chart, release, namespace); the chart's stand-in is tests/charts/<chart>
RELEASES = {
    "aws_load_balancer_controller": ("aws-load-balancer-controller", "aws-load-balancer-controller", "kube-system"),
    "cluster_autoscaler": ("cluster-autoscaler", "cluster-autoscaler", "kube-system"),
    "external_dns": ("external-dns", "external-dns", "kube-system"),
    "argocd": ("argo-cd", "argocd", "argocd"),
    "kube_prometheus_stack": ("kube-prometheus-stack", "kube-prometheus-stack", "monitoring"),
    "loki": ("loki", "loki", "monitoring"),
    "alloy": ("alloy", "alloy", "monitoring"),
}
WAVES = {"aws-load-balancer-controller": 1, "kube-prometheus-stack": 2, "cluster-autoscaler": 2,
         "external-dns": 2, "argocd": 3, "loki": 3, "alloy": 3}
ACCOUNT = "111111111111"
OUTPUTS = {
    "eks": {
        "cluster_name": "shopfront-local", "region": "us-east-1", "vpc_id": "vpc-0abc1234def567890",
        "irsa_role_arns": {k: f"arn:aws:iam::{ACCOUNT}:role/shopfront-local-irsa-{k.replace('_', '-')}"
                           for k in ("cluster_autoscaler", "aws_load_balancer_controller", "ebs_csi_driver",
                                     "external_dns")},
        "service_accounts": {
            "cluster_autoscaler": {"namespace": "kube-system", "name": "cluster-autoscaler"},
            "aws_load_balancer_controller": {"namespace": "kube-system", "name": "aws-load-balancer-controller"},
            "ebs_csi_driver": {"namespace": "kube-system", "name": "ebs-csi-controller-sa"},
            "external_dns": {"namespace": "kube-system", "name": "external-dns"},
        },
    },
    "dns": {"zone_id": "Z0123456789ABCDEFGHIJ", "zone_name": "shopfront.test", "host_name": "local.shopfront.test",
            "certificate_arn": f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"},
}


def role_default(role: str, name: str):
    return yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text())[f"{role}_{name}"]


def recap(output: str) -> dict[str, int]:
    return {h: int(n) for h, n in re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", output, re.M)}


def run_platform(tmp: Path, kubeconfig: Path, action: str = "present", stand_ins: bool = True, **extra):
    variables = {"terraform_stack_outputs": OUTPUTS, "platform_state_dir": str(tmp / "state"),
                 "platform_kubeconfig": str(kubeconfig), "platform_kind_cluster": False,
                 "platform_action": action,
                 "app_of_apps_wait": False}  # unless a FakeControllers plays Argo CD (see extra)
    for role, (chart, _, _) in RELEASES.items():
        variables[f"{role}_wait"] = False  # the emulator runs no controllers
        if stand_ins:
            variables[f"{role}_chart_source"] = str(ROOT / "tests" / "charts" / chart)
    variables.update(extra)
    (tmp / "vars.json").write_text(json.dumps(variables))
    return playbook("-i", "inventories/local", "playbooks/platform.yml", "-e", f"@{tmp / 'vars.json'}",
                    env={"PLATFORM_TIMING_DIR": str(tmp / "timing")}, timeout=900)


def helm(kubeconfig: Path, *args: str) -> list | dict:
    out = subprocess.run([str(BIN / "helm"), *args, "-o", "json"], env={**os.environ, "KUBECONFIG": str(kubeconfig)},
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def kubectl(kubeconfig: Path, *args: str) -> dict:
    out = subprocess.run(["kubectl", "--kubeconfig", str(kubeconfig), *args, "-o", "json"], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


@contextmanager
def running_emulator(folder: Path):
    """A Kubernetes API emulator process of its own; yields its kubeconfig."""
    kubeconfig = folder / "kubeconfig"
    proc = subprocess.Popen([sys.executable, "-m", "tests.kube_emulator", "--port", "0", "--kubeconfig", str(kubeconfig)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(folder / "log", "w"))
    try:
        deadline = time.monotonic() + 30
        while not kubeconfig.exists():
            assert time.monotonic() < deadline and proc.poll() is None, (folder / "log").read_text()
            time.sleep(0.2)
        yield kubeconfig
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    with running_emulator(tmp_path_factory.mktemp("kube")) as kubeconfig:
        yield kubeconfig


class Kube:
    """Just enough of a client for the fake controllers: JSON over the emulator's plain HTTP."""

    def __init__(self, kubeconfig: Path):
        self.url = yaml.safe_load(kubeconfig.read_text())["clusters"][0]["cluster"]["server"]

    def call(self, method: str, path: str, body=None, content_type: str = "application/json"):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def exists(self, path: str) -> bool:
        try:
            self.call("GET", path)
            return True
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise

    def set_finalizers(self, path: str, finalizers: list[str]):
        self.call("PATCH", path, {"metadata": {"finalizers": finalizers or None}}, "application/merge-patch+json")

    def watch(self, path: str, stop: threading.Event):
        """(type, object) events of one kind in all namespaces, resumed from the last resourceVersion."""
        since = None
        while not stop.is_set():
            query = "?watch=1&timeoutSeconds=2" + (f"&resourceVersion={since}" if since else "")
            with urllib.request.urlopen(self.url + path + query, timeout=30) as response:
                for line in response:
                    event = json.loads(line)
                    since = event["object"]["metadata"]["resourceVersion"]
                    yield event["type"], event["object"]


ARGOCD_FINALIZER = "resources-finalizer.argocd.argoproj.io"
LB_FINALIZERS = {"Ingress": "ingress.k8s.aws/resources", "Service": "service.k8s.aws/resources"}
LBC_DEPLOYMENT = "/apis/apps/v1/namespaces/kube-system/deployments/aws-load-balancer-controller"


def object_path(obj: dict) -> str:
    group = obj["apiVersion"]
    base = f"/api/{group}" if "/" not in group else f"/apis/{group}"
    plural = {"Application": "applications", "Ingress": "ingresses", "Service": "services"}[obj["kind"]]
    return f"{base}/namespaces/{obj['metadata']['namespace']}/{plural}/{obj['metadata']['name']}"


class FakeControllers:
    """Plays Argo CD's application controller and the AWS Load Balancer Controller on the emulator.

    Argo CD: removes the resources finalizer of a deleted Application (its cascade done), but only
    when the Application's auto-sync was suspended before it was deleted. The load balancer
    controller: puts its finalizer on every Ingress and LoadBalancer Service (as when it makes
    their load balancers) and removes it from a deleted one, which it can only do while its own
    Deployment runs. Events are ordered by the emulator's global resourceVersion."""

    def __init__(self, kubeconfig: Path):
        self.kube = Kube(kubeconfig)
        self.events: list[tuple[int, str, str]] = []  # (resourceVersion, what, namespace/kind/name)
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.seen: set[tuple[str, str]] = set()
        self.threads = [threading.Thread(target=self._run, args=(path, handle), daemon=True) for path, handle in [
            ("/apis/argoproj.io/v1alpha1/applications", self._application),
            ("/apis/networking.k8s.io/v1/ingresses", self._load_balanced),
            ("/api/v1/services", self._load_balanced),
            ("/apis/apps/v1/deployments", self._deployment)]]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def record(self, obj: dict, what: str) -> bool:
        """Note the first time `what` happens to obj; False when it was noted already."""
        ref = self._ref(obj)
        with self.lock:
            if (what, ref) in self.seen:
                return False
            self.seen.add((what, ref))
            self.events.append((int(obj["metadata"]["resourceVersion"]), what, ref))
            return True

    def of(self, what: str) -> dict[str, int]:
        with self.lock:
            return {ref: rv for rv, kind, ref in self.events if kind == what}

    def _run(self, path, handle):
        while not self.stop.is_set():
            try:
                for kind, obj in self.kube.watch(path, self.stop):
                    handle(kind, obj)
            except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
                self.errors.append(f"{path}: {exc!r}")
                time.sleep(0.5)

    def _application(self, kind, obj):
        meta, automated = obj["metadata"], (obj.get("spec", {}).get("syncPolicy") or {}).get("automated")
        if kind == "DELETED":
            if self.record(obj, "app-gone") and ("app-deleted", self._ref(obj)) not in self.seen:
                self.violations.append(f"{self._ref(obj)} deleted at once: no finalizer, no cascade")
            return
        if automated is None:
            self.record(obj, "app-suspended")
        if meta.get("deletionTimestamp") and self.record(obj, "app-deleted"):
            if automated is not None:
                self.violations.append(f"{self._ref(obj)} deleted while auto-sync was on")
                return  # Argo CD would fight the teardown: the finalizer stays
            if ARGOCD_FINALIZER not in meta.get("finalizers", []):
                self.violations.append(f"{self._ref(obj)} deleted without the cascade finalizer (orphans its workloads)")
                return
            self.kube.set_finalizers(object_path(obj), [f for f in meta["finalizers"] if f != ARGOCD_FINALIZER])

    def _load_balanced(self, kind, obj):
        if obj["kind"] == "Service" and obj.get("spec", {}).get("type") != "LoadBalancer":
            return
        meta, finalizer = obj["metadata"], LB_FINALIZERS[obj["kind"]]
        if kind == "DELETED":
            self.record(obj, "lb-gone")
        elif meta.get("deletionTimestamp") and finalizer in meta.get("finalizers", []):
            if self.record(obj, "lb-deleted"):
                if not self.kube.exists(LBC_DEPLOYMENT):
                    self.violations.append(f"{self._ref(obj)} deleted after the load balancer controller")
                    return  # nobody deletes its load balancer: the finalizer stays
                self.kube.set_finalizers(object_path(obj), [f for f in meta["finalizers"] if f != finalizer])
        elif not meta.get("deletionTimestamp") and finalizer not in meta.get("finalizers", []):
            self.kube.set_finalizers(object_path(obj), [*meta.get("finalizers", []), finalizer])

    def _deployment(self, kind, obj):
        if kind == "DELETED" and obj["metadata"]["name"] == "aws-load-balancer-controller":
            self.record(obj, "lbc-gone")

    @staticmethod
    def _ref(obj: dict) -> str:
        return f"{obj['metadata'].get('namespace')}/{obj['kind']}/{obj['metadata']['name']}"


def seed_teardown(kubeconfig: Path) -> None:
    """What a running environment holds beyond the install: the child Applications Argo CD's root
    made from gitops/apps/dev and gitops/services/dev (auto-sync on), an Ingress and a
    LoadBalancer Service of the services, and a ClusterIP Service that teardown must keep."""
    kube = Kube(kubeconfig)
    for path in sorted((ROOT / "gitops" / "apps" / "dev").glob("*.yaml")) + sorted(
            (ROOT / "gitops" / "services" / "dev").glob("*.yaml")):
        for app in yaml.safe_load_all(path.read_text()):
            if app["metadata"]["name"] == "frontend-dev":
                app["metadata"].pop("finalizers")  # the role must add it, or the deletion orphans the workloads
            kube.call("POST", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications", app)
    backend = {"service": {"name": "frontend", "port": {"number": 80}}}
    kube.call("POST", "/apis/networking.k8s.io/v1/namespaces/shopfront-dev/ingresses", {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "shop"},
        "spec": {"ingressClassName": "alb", "rules": [{"host": "shop.local.shopfront.test", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": backend}]}}]}})
    for name, namespace, kind in [("shop-nlb", "shopfront-dev", "LoadBalancer"), ("keep", "default", "ClusterIP")]:
        kube.call("POST", f"/api/v1/namespaces/{namespace}/services", {
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": kind, "selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}})


def snapshot(kubeconfig: Path) -> dict:
    """What the first install left on the cluster (read before the teardown run)."""
    return {
        "lbc_values": helm(kubeconfig, "get", "values", "aws-load-balancer-controller", "-n", "kube-system"),
        "service_accounts": {sa: kubectl(kubeconfig, "get", "serviceaccount", sa, "-n", "kube-system")
                             for sa in ("aws-load-balancer-controller", "cluster-autoscaler", "external-dns")},
        "ingresses": kubectl(kubeconfig, "get", "ingress", "-A")["items"],
        "storage": kubectl(kubeconfig, "get", "storageclass", "gp3"),
        "projects": kubectl(kubeconfig, "get", "appprojects", "-n", "argocd")["items"],
        "applications": kubectl(kubeconfig, "get", "applications", "-n", "argocd")["items"],
        "service_namespace": kubectl(kubeconfig, "get", "namespace", "shopfront-dev"),
        "mongodb_secret": kubectl(kubeconfig, "get", "secret", "mongodb-credentials", "-n", "shopfront-dev"),
    }


@pytest.fixture(scope="module")
def installed(emulator, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    runs = {"up1": run_platform(tmp, emulator)}
    runs["releases"] = helm(emulator, "list", "--all-namespaces") if runs["up1"].returncode == 0 else []
    runs["objects"] = snapshot(emulator) if runs["up1"].returncode == 0 else {}
    runs["up2"] = run_platform(tmp, emulator)
    if runs["up1"].returncode == 0:
        seed_teardown(emulator)
    kube = Kube(emulator)
    with FakeControllers(emulator) as fake:
        deadline = time.monotonic() + 30  # the fake controller has provisioned every load balancer
        while not all(LB_FINALIZERS[o["kind"]] in o["metadata"].get("finalizers", []) for o in (
                kube.call("GET", "/apis/networking.k8s.io/v1/ingresses")["items"]
                + [s for s in kube.call("GET", "/api/v1/services")["items"] if s["spec"]["type"] == "LoadBalancer"])):
            assert time.monotonic() < deadline, fake.errors
            time.sleep(0.2)
        runs["applications_before_down"] = kube.call("GET", "/apis/argoproj.io/v1alpha1/applications")["items"]
        teardown = {"app_of_apps_wait": True, "app_of_apps_timeout": 60, "cluster_drain_timeout": 60}
        runs["down"] = run_platform(tmp, emulator, action="absent", **teardown)
        runs["down2"] = run_platform(tmp, emulator, action="absent", **teardown)
    runs["fake"] = fake
    runs["services_after_down"] = kubectl(emulator, "get", "services", "-A")["items"]
    runs["releases_after_down"] = helm(emulator, "list", "--all-namespaces")
    runs["projects_after_down"] = kubectl(emulator, "get", "appprojects", "-A")["items"]
    runs["namespaces_after_down"] = [n["metadata"]["name"] for n in kubectl(emulator, "get", "namespaces")["items"]]
    return runs


def test_install_puts_every_release_on_the_cluster_wave_by_wave(installed):
    assert installed["up1"].returncode == 0, installed["up1"].stdout[-6000:]
    found = {r["name"]: r for r in installed["releases"]}
    for role, (chart, release, namespace) in RELEASES.items():
        assert found[release]["namespace"] == namespace
        assert found[release]["status"] == "deployed"
        assert found[release]["chart"] == f"{chart}-{role_default(role, 'chart_version')}"
    # waves: every release of a wave was deployed before any of the next wave started
    updated = {name: r["updated"] for name, r in found.items()}
    for name, wave in WAVES.items():
        for other, other_wave in WAVES.items():
            if wave < other_wave:
                assert updated[name] < updated[other], f"{name} (wave {wave}) after {other} (wave {other_wave})"
    # one inventory host per release: a wave runs concurrently
    assert set(recap(installed["up1"].stdout)) >= {f"release-{r}" for r in WAVES}
    assert "Kubernetes v1." in installed["up1"].stdout and "installing into that cluster" in installed["up1"].stdout


def test_install_wires_terraform_outputs_into_the_releases(installed):
    assert installed["up1"].returncode == 0
    objects = installed["objects"]
    lbc = objects["lbc_values"]
    assert lbc["vpcId"] == OUTPUTS["eks"]["vpc_id"] and lbc["clusterName"] == "shopfront-local"
    for role, sa in [("aws_load_balancer_controller", "aws-load-balancer-controller"),
                     ("cluster_autoscaler", "cluster-autoscaler"), ("external_dns", "external-dns")]:
        account = objects["service_accounts"][sa]
        assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == OUTPUTS["eks"]["irsa_role_arns"][role]
    for host in ["argocd.local.shopfront.test", "grafana.local.shopfront.test"]:
        ingress = next(i for i in objects["ingresses"] if i["spec"]["rules"][0].get("host") == host)
        notes = ingress["metadata"]["annotations"]
        assert ingress["spec"]["ingressClassName"] == "alb"
        assert notes["alb.ingress.kubernetes.io/certificate-arn"] == OUTPUTS["dns"]["certificate_arn"]
        assert notes["alb.ingress.kubernetes.io/group.name"] == "shopfront-local"
        assert notes["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    storage = objects["storage"]
    assert storage["provisioner"] == "ebs.csi.aws.com" and storage["parameters"]["encrypted"] == "true"
    # Ansible applies the bootstrap only; the environments' projects come from Git (gitops/platform)
    assert {p["metadata"]["name"] for p in objects["projects"]} == {"default", "platform"}
    [root] = objects["applications"]
    assert root["spec"]["source"]["repoURL"] == "https://github.com/acme/shopfront.git"
    assert root["spec"]["source"]["path"] == "gitops/apps/dev"
    # the services' namespace (restricted pods) and its MongoDB credentials, generated, never in Git
    assert objects["service_namespace"]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert len(base64.b64decode(objects["mongodb_secret"]["data"]["password"])) == 32


def test_second_install_changes_nothing(installed):
    assert installed["up2"].returncode == 0, installed["up2"].stdout[-6000:]
    assert set(recap(installed["up2"].stdout).values()) == {0}, recap(installed["up2"].stdout)


def test_teardown_removes_every_release_and_argocd_object(installed):
    assert installed["down"].returncode == 0, installed["down"].stdout[-6000:]
    assert installed["releases_after_down"] == []
    # only Argo CD's built-in (locked) project is left; Argo CD's own teardown removes it
    assert [p["metadata"]["name"] for p in installed["projects_after_down"]] in ([], ["default"])
    assert "shopfront-dev" not in installed["namespaces_after_down"]


def test_teardown_suspends_argocd_then_deletes_applications_then_load_balancers(installed):
    assert installed["down"].returncode == 0, installed["down"].stdout[-6000:]
    fake = installed["fake"]
    assert fake.errors == [] and fake.violations == [], (fake.errors, fake.violations)
    apps = {f"argocd/Application/{a['metadata']['name']}" for a in installed["applications_before_down"]}
    assert {"argocd/Application/root", "argocd/Application/services", "argocd/Application/frontend-dev"} <= apps
    suspended, deleted, gone = fake.of("app-suspended"), fake.of("app-deleted"), fake.of("app-gone")
    # every Application: auto-sync off before the first deletion, then deleted with its cascade finalizer
    assert set(suspended) == apps and set(deleted) == apps and set(gone) == apps
    assert max(suspended.values()) < min(deleted.values())
    # then the load balancers' objects, while the controller still ran; the ClusterIP Service stays
    drained = fake.of("lb-deleted")
    assert {"shopfront-dev/Ingress/shop", "shopfront-dev/Service/shop-nlb", "argocd/Ingress/argocd-server"} <= set(
        drained), drained
    assert set(fake.of("lb-gone")) == set(drained)
    assert max(gone.values()) < min(drained.values())
    assert max(drained.values()) < fake.of("lbc-gone")["kube-system/Deployment/aws-load-balancer-controller"]
    kept = [f"{s['metadata']['namespace']}/{s['metadata']['name']}" for s in installed["services_after_down"]]
    assert "default/keep" in kept
    out = installed["down"].stdout
    assert re.search(r"suspended auto-sync of\s+%d Application" % len(apps), out), out[-3000:]
    assert re.search(r"deleted\s+%d Ingress\(es\) and\s+1 LoadBalancer Service" % len(
        [d for d in drained if "/Ingress/" in d]), out), out[-3000:]


def test_second_teardown_changes_nothing(installed):
    out = installed["down2"].stdout
    assert installed["down2"].returncode == 0, out[-6000:]
    assert set(recap(out).values()) == {0}, recap(out)
    assert re.search(r"deleted\s+0\s+Ingress\(es\) and\s+0 LoadBalancer", out), out[-3000:]


def test_drain_fails_within_its_timeout_naming_what_is_left(tmp_path):
    with running_emulator(tmp_path) as kubeconfig:
        Kube(kubeconfig).call("POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", {
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "stuck", "finalizers": [LB_FINALIZERS["Ingress"]]},  # no controller removes it
            "spec": {"ingressClassName": "alb", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
        })
        result = run_platform(tmp_path, kubeconfig, action="absent", cluster_drain_timeout=5)
        ended = datetime.now(timezone.utc)
        [stuck] = kubectl(kubeconfig, "get", "ingress", "-n", "default")["items"]
    assert result.returncode != 0
    out = " ".join(result.stdout.split())
    assert "default/Ingress/stuck (finalizers: ingress.k8s.aws/resources)" in out, out[-3000:]
    assert "AWS Load Balancer Controller must be running" in out
    # the finalizer is left in place, and the wait lasted the timeout, not the default 600 s
    assert stuck["metadata"]["finalizers"] == [LB_FINALIZERS["Ingress"]]
    deleted = datetime.strptime(stuck["metadata"]["deletionTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
    deleted = deleted.replace(tzinfo=timezone.utc)
    assert 4 <= (ended - deleted).total_seconds() < 30


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("render")
    nowhere = tmp / "kubeconfig"
    nowhere.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": {"server": "https://ABCDEF0123.gr7.us-east-1.eks.amazonaws.invalid"}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}],
        "users": [{"name": "u", "user": {"token": "none"}}]}))
    runs = {"up1": run_platform(tmp, nowhere)}
    folder = tmp / "state" / "platform"
    runs["files"] = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    runs["external_dns_values"] = (folder / "external-dns" / "values.yaml").read_text() if folder.exists() else ""
    runs["up2"] = run_platform(tmp, nowhere)
    runs["down"] = run_platform(tmp, nowhere, action="absent")
    runs["left"] = folder.exists()
    return runs


def test_render_says_why_and_writes_every_release_and_argocd_object(rendered):
    out = rendered["up1"].stdout
    assert rendered["up1"].returncode == 0, out[-6000:]
    assert "no Kubernetes API answers at https://ABCDEF0123" in out
    for _, release, _ in RELEASES.values():
        assert f"{release}/release.yml" in rendered["files"] and f"{release}/values.yaml" in rendered["files"]
    assert any(f.startswith("argocd-objects/") for f in rendered["files"])
    assert "storageclass-gp3.yaml" in rendered["files"]
    # the stand-in charts render, so every release's objects were validated for Kubernetes 1.33
    assert len(re.findall(r"objects\s+valid\s+for\s+Kubernetes\s+1\.33", out)) >= len(RELEASES)
    assert OUTPUTS["eks"]["irsa_role_arns"]["external_dns"] in rendered["external_dns_values"]
    # no secret lands on disk: the admin credentials are generated on the cluster only
    assert "password" not in "".join(rendered["files"]).lower()


def test_render_twice_changes_nothing_and_teardown_removes_it(rendered):
    assert rendered["up2"].returncode == 0, rendered["up2"].stdout[-6000:]
    assert set(recap(rendered["up2"].stdout).values()) == {0}, recap(rendered["up2"].stdout)
    assert rendered["down"].returncode == 0, rendered["down"].stdout[-6000:]
    assert not rendered["left"]


def test_render_fails_on_an_invalid_object_naming_it(tmp_path):
    chart = tmp_path / "broken"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: broken\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  port: 8080\n")
    book = tmp_path / "render.yml"
    book.write_text(yaml.safe_dump([{
        "name": "Render a broken chart", "hosts": "localhost", "gather_facts": False,
        "roles": [{"role": "helm_release", "vars": {
            "helm_release_mode": "render", "helm_release_render_dir": str(tmp_path / "out"),
            "helm_release_releases": [{"name": "broken", "namespace": "default", "chart": "broken",
                                       "chart_source": str(chart), "chart_version": "0.1.0", "values": {}}]}}]}]))
    result = playbook("-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(book),
                      env={"PLATFORM_TIMING_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ConfigMap/-/broken" in result.stdout and "is not of type 'string'" in result.stdout
