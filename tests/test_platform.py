"""The platform phase (playbooks/platform.yml) as site.yml and teardown.yml run it, with the
Terraform outputs given as facts:

- install: on the Kubernetes API emulator with the stand-in charts (tests/charts), every
  release lands in its wave, Argo CD's root Application and projects are applied, a second
  run changes nothing, and teardown removes it all;
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
import time
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


def run_platform(tmp: Path, kubeconfig: Path, action: str = "present", stand_ins: bool = True):
    variables = {"terraform_stack_outputs": OUTPUTS, "platform_state_dir": str(tmp / "state"),
                 "platform_kubeconfig": str(kubeconfig), "platform_kind_cluster": False,
                 "platform_action": action,
                 "app_of_apps_wait": False}  # no Argo CD controller removes the root's finalizer
    for role, (chart, _, _) in RELEASES.items():
        variables[f"{role}_wait"] = False  # the emulator runs no controllers
        if stand_ins:
            variables[f"{role}_chart_source"] = str(ROOT / "tests" / "charts" / chart)
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


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kube")
    kubeconfig = folder / "kubeconfig"
    proc = subprocess.Popen([sys.executable, "-m", "tests.kube_emulator", "--port", "0", "--kubeconfig", str(kubeconfig)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(folder / "log", "w"))
    deadline = time.monotonic() + 30
    while not kubeconfig.exists():
        assert time.monotonic() < deadline and proc.poll() is None, (folder / "log").read_text()
        time.sleep(0.2)
    yield kubeconfig
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


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
    runs["down"] = run_platform(tmp, emulator, action="absent")
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
