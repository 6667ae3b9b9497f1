"""k8s_manifest_validate: core kinds against the Kubernetes schemas, Argo CD kinds against the
module's own subset of their CRDs, other custom kinds left to the cluster."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from conftest import BIN, ROOT

APP = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "root", "namespace": "argocd"},
       "spec": {"project": "platform",
                "source": {"repoURL": "https://github.com/acme/shopfront.git", "targetRevision": "main", "path": "gitops/apps"},
                "destination": {"server": "https://kubernetes.default.svc", "namespace": "argocd"},
                "syncPolicy": {"automated": {"prune": True, "selfHeal": True}}}}
PROJECT = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": {"name": "dev", "namespace": "argocd"},
           "spec": {"sourceRepos": ["https://github.com/acme/shopfront.git"],
                    "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "shop-dev"}],
                    "clusterResourceWhitelist": []}}
MONITOR = {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "x"}, "spec": {}}
CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}


def validate(tmp_path, *objects) -> tuple[int, dict]:
    (tmp_path / "objects.yaml").write_text(yaml.safe_dump_all(objects))
    result = subprocess.run(
        [str(BIN / "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-e",
         f"ansible_python_interpreter={BIN / 'python'}", "-m", "k8s_manifest_validate", "-a",
         json.dumps({"src": [str(tmp_path)], "kubernetes_version": "1.33"}), "-o"],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_LOAD_CALLBACK_PLUGINS": "0"})
    payload = result.stdout[result.stdout.index("{"):]
    return result.returncode, json.loads(payload)


def test_valid_objects_pass_and_custom_kinds_are_reported_unchecked(tmp_path):
    rc, out = validate(tmp_path, APP, PROJECT, MONITOR, CONFIGMAP)
    assert rc == 0, out
    assert len(out["checked"]) == 3
    assert out["unchecked"] == ["objects.yaml:monitoring.coreos.com/v1/ServiceMonitor/x"]


@pytest.mark.parametrize("broken,message", [
    ({**APP, "spec": {**APP["spec"], "syncPolicy": {"automatic": {}}}}, "'automatic' was unexpected"),
    ({**APP, "spec": {k: v for k, v in APP["spec"].items() if k != "destination"}}, "'destination' is a required property"),
    ({**APP, "spec": {k: v for k, v in APP["spec"].items() if k != "source"}}, "is not valid under any of the given schemas"),
    ({**PROJECT, "spec": {**PROJECT["spec"], "clusterResourceWhitelist": [{"kind": "Namespace"}]}}, "'group' is a required property"),
    ({**CONFIGMAP, "data": {"a": 1}}, "is not of type 'string'"),
    ({**CONFIGMAP, "spec": {}}, "'spec' was unexpected"),
], ids=["typo", "no-destination", "no-source", "project-group-kind", "configmap-int", "unknown-field"])
def test_mistakes_fail_naming_the_object(tmp_path, broken, message):
    rc, out = validate(tmp_path, broken)
    assert rc != 0
    assert len(out["errors"]) == 1 and message in out["errors"][0], out["errors"]
    assert f"{broken['kind']}/" in out["errors"][0]
