"""Role READMEs list every variable of the role's contract, with its current default."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLATFORM_ROLES = ["helm_release", "kube_target", "aws_load_balancer_controller", "cluster_autoscaler", "external_dns",
                  "argocd", "kube_prometheus_stack", "loki", "alloy", "app_of_apps",
                  "storage_class", "cluster_drain", "service_namespaces", "run_lock", "aws_audit"]


def test_platform_role_readmes_list_their_variables():
    for role in PLATFORM_ROLES:
        readme = (ROOT / "roles" / role / "README.md").read_text()
        assert "<!-- BEGIN VARIABLES -->" in readme, role
        defaults = (ROOT / "roles" / role / "defaults" / "main.yml").read_text()
        for line in defaults.splitlines():
            if line and not line.startswith(("#", " ", "-")) and ":" in line:
                assert f"`{line.split(':')[0]}`" in readme, f"{role}: {line.split(':')[0]} missing from README"


def test_generated_tables_are_current():
    result = subprocess.run([sys.executable, "scripts/role_docs.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
