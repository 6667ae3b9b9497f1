"""The Kubernetes API emulator (tests/kube_emulator) answers kubectl, helm 3 and the kubernetes.core Ansible
modules the way the platform's playbooks need: each test drives the real tool against a private emulator."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
HELM = str(VENV_BIN / "helm") if (VENV_BIN / "helm").exists() else shutil.which("helm")
KUBECTL = shutil.which("kubectl")
ANSIBLE_PLAYBOOK = str(VENV_BIN / "ansible-playbook") if (VENV_BIN / "ansible-playbook").exists() \
    else str(Path(sys.executable).parent / "ansible-playbook")
# the interpreter Ansible runs the kubernetes.core modules with: it needs the kubernetes client
ANSIBLE_PYTHON = os.environ.get("KUBE_EMULATOR_ANSIBLE_PYTHON", str(VENV_BIN / "python"))


@pytest.fixture
def kube(tmp_path):
    """A private emulator in a subprocess on a free port; yields (url, env) with KUBECONFIG pointing at it."""
    kubeconfig = tmp_path / "kubeconfig"
    log = tmp_path / "emulator.log"
    out = open(log, "w")
    proc = subprocess.Popen([sys.executable, "-m", "tests.kube_emulator", "--port", "0", "--kubeconfig",
                             str(kubeconfig)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    url = None
    while url is None:
        text = log.read_text()
        if "serving on " in text:
            url = text.split("serving on ", 1)[1].split()[0]
        elif proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the kube emulator did not start: " + log.read_text())
        else:
            time.sleep(0.1)
    urllib.request.urlopen(url + "/version", timeout=5).read()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBE", "HELM_", "ANSIBLE_"))}
    env.update({"KUBECONFIG": str(kubeconfig), "KUBECACHEDIR": str(tmp_path / "kubecache"),
                "HELM_CACHE_HOME": str(tmp_path / "helm/cache"), "HELM_CONFIG_HOME": str(tmp_path / "helm/config"),
                "HELM_DATA_HOME": str(tmp_path / "helm/data"), "ANSIBLE_NOCOLOR": "1"})
    yield url, env
    proc.terminate()
    proc.wait(timeout=10)
    out.close()


def run(env, *cmd, check=True, stdin=None, cwd=None) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin, timeout=300, cwd=cwd)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def kubectl_json(env, *args):
    return json.loads(run(env, KUBECTL, *args, "-o", "json").stdout)


def api(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as response:
        return json.loads(response.read())


MANIFESTS = """
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: demo, labels: {app: demo}}
data: {color: blue}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo, labels: {app: demo}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env: [{name: MODE, value: one}]
"""


def test_kubectl_apply_and_get(kube, tmp_path):
    url, env = kube
    manifest = tmp_path / "demo.yaml"
    manifest.write_text(MANIFESTS)
    applied = run(env, KUBECTL, "apply", "-f", str(manifest)).stdout
    assert "namespace/demo created" in applied and "deployment.apps/web created" in applied

    ns = kubectl_json(env, "get", "namespace", "demo")
    cm = kubectl_json(env, "get", "configmap", "settings", "-n", "demo")
    deploy = kubectl_json(env, "get", "deployment", "web", "-n", "demo")
    assert ns["status"]["phase"] == "Active"
    assert cm["data"] == {"color": "blue"} and cm["kind"] == "ConfigMap"
    assert deploy["spec"]["replicas"] == 2 and deploy["metadata"]["generation"] == 1
    uids = {o["metadata"]["uid"] for o in (ns, cm, deploy)}
    assert len(uids) == 3 and all(len(u) == 36 for u in uids)
    for obj in (ns, cm, deploy):
        assert int(obj["metadata"]["resourceVersion"]) > 0 and obj["metadata"]["creationTimestamp"].endswith("Z")
        assert "kubectl.kubernetes.io/last-applied-configuration" in obj["metadata"]["annotations"]

    # a re-apply without change keeps the resourceVersion; a change bumps it and the Deployment's generation
    assert "unchanged" in run(env, KUBECTL, "apply", "-f", str(manifest)).stdout
    assert kubectl_json(env, "get", "deployment", "web", "-n", "demo")["metadata"]["resourceVersion"] == \
        deploy["metadata"]["resourceVersion"]
    manifest.write_text(MANIFESTS.replace("value: one", "value: two"))
    assert "deployment.apps/web configured" in run(env, KUBECTL, "apply", "-f", str(manifest)).stdout
    changed = kubectl_json(env, "get", "deployment", "web", "-n", "demo")
    assert changed["metadata"]["generation"] == 2 and changed["metadata"]["uid"] == deploy["metadata"]["uid"]
    assert int(changed["metadata"]["resourceVersion"]) > int(deploy["metadata"]["resourceVersion"])
    assert changed["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "MODE", "value": "two"}]

    # the raw list answer: kind XList with a resourceVersion; selectors filter
    listed = api(url, "/api/v1/namespaces/demo/configmaps?labelSelector=app%3Ddemo")
    assert listed["kind"] == "ConfigMapList" and listed["metadata"]["resourceVersion"]
    assert [i["metadata"]["name"] for i in listed["items"]] == ["settings"]
    assert api(url, "/api/v1/configmaps?labelSelector=app%3Dother")["items"] == []
    assert [i["metadata"]["name"] for i in
            api(url, "/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Ddemo")["items"]] == ["web"]

    # patches: JSON patch and merge patch
    run(env, KUBECTL, "patch", "configmap", "settings", "-n", "demo", "--type=json",
        "-p", '[{"op": "add", "path": "/data/size", "value": "L"}]')
    run(env, KUBECTL, "patch", "configmap", "settings", "-n", "demo", "--type=merge", "-p", '{"data": {"color": null}}')
    before = kubectl_json(env, "get", "configmap", "settings", "-n", "demo")
    assert before["data"] == {"size": "L"}
    # a patch that changes nothing leaves the object (and its resourceVersion) alone, as the API server does
    same = run(env, KUBECTL, "patch", "configmap", "settings", "-n", "demo", "--type=merge", "-p",
               '{"data": {"size": "L"}}').stdout
    assert "(no change)" in same
    assert kubectl_json(env, "get", "configmap", "settings", "-n", "demo")["metadata"]["resourceVersion"] == \
        before["metadata"]["resourceVersion"]

    # deleting the namespace takes what is in it along
    run(env, KUBECTL, "delete", "namespace", "demo")
    assert api(url, "/apis/apps/v1/deployments")["items"] == []
    assert run(env, KUBECTL, "get", "namespace", "demo", check=False).returncode != 0


CHART = {
    "Chart.yaml": "apiVersion: v2\nname: tiny\nversion: 0.3.1\nappVersion: '2.0'\n",
    "values.yaml": "note: first\n",
    "templates/objects.yaml": textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-settings
        data:
          note: {{ .Values.note | quote }}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {{ .Release.Name }}-sa
          annotations:
            example.com/note: {{ .Values.note | quote }}
        """),
}


def make_chart(path: Path) -> Path:
    for name, text in CHART.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    return path


def sa_note(env, namespace="apps"):
    return kubectl_json(env, "get", "serviceaccount", "tiny-sa", "-n", namespace)["metadata"]["annotations"][
        "example.com/note"]


def helm_list(env, namespace="apps"):
    return json.loads(run(env, HELM, "list", "-n", namespace, "-o", "json").stdout)


def test_helm_install_upgrade_rollback_uninstall(kube, tmp_path):
    url, env = kube
    chart = make_chart(tmp_path / "tiny")
    run(env, HELM, "install", "tiny", str(chart), "-n", "apps", "--create-namespace")
    [release] = helm_list(env)
    assert (release["name"], release["status"], release["chart"], release["revision"]) == \
        ("tiny", "deployed", "tiny-0.3.1", "1")
    assert sa_note(env) == "first"
    assert kubectl_json(env, "get", "configmap", "tiny-settings", "-n", "apps")["data"] == {"note": "first"}
    secrets = api(url, "/api/v1/namespaces/apps/secrets?labelSelector=owner%3Dhelm,name%3Dtiny")["items"]
    assert [s["type"] for s in secrets] == ["helm.sh/release.v1"]

    run(env, HELM, "upgrade", "tiny", str(chart), "-n", "apps", "--set", "note=second", "--disable-openapi-validation")
    assert sa_note(env) == "second"
    assert helm_list(env)[0]["revision"] == "2"

    run(env, HELM, "rollback", "tiny", "1", "-n", "apps")
    assert sa_note(env) == "first"
    [release] = helm_list(env)
    assert (release["status"], release["revision"]) == ("deployed", "3")
    history = json.loads(run(env, HELM, "history", "tiny", "-n", "apps", "-o", "json").stdout)
    assert [h["status"] for h in history] == ["superseded", "superseded", "deployed"]

    run(env, HELM, "uninstall", "tiny", "-n", "apps")
    assert helm_list(env) == []
    for kind in ("configmaps", "serviceaccounts", "secrets"):
        assert api(url, f"/api/v1/namespaces/apps/{kind}")["items"] == [], kind


PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  vars:
    objects:
      - {apiVersion: v1, kind: Namespace, metadata: {name: play}}
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: play-settings, namespace: play, labels: {tier: test}}
        data: {color: "{{ color }}"}
      - apiVersion: apps/v1
        kind: Deployment
        metadata: {name: play-web, namespace: play}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
    color: blue
    release: &release
      kubeconfig: "{{ kubeconfig }}"
      binary_path: "{{ helm }}"
      name: tiny
      chart_ref: "{{ chart }}"
      release_namespace: play
      values: {note: from-ansible}
  tasks:
    - name: create
      kubernetes.core.k8s: {kubeconfig: "{{ kubeconfig }}", state: present, definition: "{{ objects }}"}
      register: first
    - name: the same again
      kubernetes.core.k8s: {kubeconfig: "{{ kubeconfig }}", state: present, definition: "{{ objects }}"}
      register: second
    - name: a real change
      kubernetes.core.k8s: {kubeconfig: "{{ kubeconfig }}", state: present, definition: "{{ objects }}"}
      vars: {color: green}
      register: third
    - name: read back by label
      kubernetes.core.k8s_info: {kubeconfig: "{{ kubeconfig }}", kind: ConfigMap, namespace: play,
                                 label_selectors: ["tier=test"]}
      register: info
    - name: install the chart
      kubernetes.core.helm: *release
      register: helm_first
    - name: install the chart again
      kubernetes.core.helm: *release
      register: helm_second
    - name: the release's ServiceAccount
      kubernetes.core.k8s_info: {kubeconfig: "{{ kubeconfig }}", kind: ServiceAccount, namespace: play,
                                 name: tiny-sa}
      register: sa
    - ansible.builtin.assert:
        that:
          - first is changed
          - second is not changed
          - third is changed
          - info.resources | length == 1
          - info.resources[0].data.color == 'green'
          - info.resources[0].metadata.uid | length == 36
          - helm_first is changed
          - helm_first.status.status == 'deployed'
          - helm_second is not changed
          - sa.resources[0].metadata.annotations['example.com/note'] == 'from-ansible'
"""


def test_ansible_kubernetes_core(kube, tmp_path):
    url, env = kube
    probe = subprocess.run([ANSIBLE_PYTHON, "-c", "import kubernetes"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail(f"{ANSIBLE_PYTHON} cannot import the kubernetes client that kubernetes.core needs "
                    "(add kubernetes to requirements, or point KUBE_EMULATOR_ANSIBLE_PYTHON at an interpreter "
                    "that has it): " + probe.stderr.strip().splitlines()[-1])
    chart = make_chart(tmp_path / "tiny")
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    result = run(env, ANSIBLE_PLAYBOOK, "-i", "localhost,", "-c", "local",
                 "-e", f"ansible_python_interpreter={ANSIBLE_PYTHON}",
                 "-e", json.dumps({"kubeconfig": env["KUBECONFIG"], "helm": HELM, "chart": str(chart)}),
                 "play.yml", cwd=tmp_path)
    assert "failed=0" in result.stdout
    # seen from outside Ansible too
    assert api(url, "/api/v1/namespaces/play/configmaps/play-settings")["data"] == {"color": "green"}
    [release] = helm_list(env, "play")
    assert (release["name"], release["status"], release["chart"]) == ("tiny", "deployed", "tiny-0.3.1")
