"""The scripts the workflows call: image tags, the Trivy gate and scan, the image push, the CI git
identity, and the plan target. Docker and trivy are replaced by fakes that record their arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "trivy"
SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"

sys.path.insert(0, str(ROOT / "tools"))
from gitops_cli.tree import TAG  # noqa: E402  the tag policy gitops bump/promote/validate enforce


def run(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def outputs(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


# ---- scripts/image_tag.py ----------------------------------------------------------------------------

@pytest.mark.parametrize("ref, tags, push", [
    ("refs/heads/main", "sha-1a2b3c4", "true"),
    ("refs/tags/v1.2.3", "v1.2.3 sha-1a2b3c4", "true"),
    ("refs/tags/v1.2.3-rc.1", "v1.2.3-rc.1 sha-1a2b3c4", "true"),
    ("refs/pull/42/merge", "sha-1a2b3c4", "false"),
    ("refs/heads/feature/login", "sha-1a2b3c4", "false"),
    ("refs/heads/mainline", "sha-1a2b3c4", "false"),
    ("refs/tags/release-7", "sha-1a2b3c4", "false"),
    ("refs/tags/1.2.3", "sha-1a2b3c4", "false"),
])
def test_image_tag(ref, tags, push):
    done = run(SCRIPTS / "image_tag.py", env={"GITHUB_REF": ref, "GITHUB_SHA": SHA})
    assert done.returncode == 0, done.stderr
    out = outputs(done.stdout)
    assert out == {"tag": tags.split()[0], "tags": tags, "push": push}
    assert all(TAG.match(t) for t in tags.split())  # gitops bump accepts every tag


def test_image_tag_arguments_override_the_environment():
    done = run(SCRIPTS / "image_tag.py", "--ref", "refs/tags/v2.0.0", "--sha", SHA,
               env={"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": "0" * 40})
    assert outputs(done.stdout)["tags"] == "v2.0.0 sha-1a2b3c4"


def test_image_tag_github_output(tmp_path):
    out = tmp_path / "output"
    out.write_text("earlier=1\n")
    done = run(SCRIPTS / "image_tag.py", "--github-output",
               env={"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": SHA, "GITHUB_OUTPUT": str(out)})
    assert done.returncode == 0
    assert out.read_text() == "earlier=1\ntag=sha-1a2b3c4\ntags=sha-1a2b3c4\npush=true\n"
    missing = run(SCRIPTS / "image_tag.py", "--github-output",
                  env={"GITHUB_REF": "refs/heads/main", "GITHUB_SHA": SHA, "GITHUB_OUTPUT": ""})
    assert missing.returncode == 2


@pytest.mark.parametrize("ref, sha", [
    ("", SHA), ("main", SHA), ("refs/heads/main", ""), ("refs/heads/main", SHA[:7]),
    ("refs/heads/main", SHA.upper()), ("refs/heads/main", "g" * 40),
])
def test_image_tag_refuses_bad_input(ref, sha):
    done = run(SCRIPTS / "image_tag.py", env={"GITHUB_REF": ref, "GITHUB_SHA": sha})
    assert done.returncode == 2 and done.stdout == "" and "image_tag:" in done.stderr


# ---- scripts/trivy_gate.py ---------------------------------------------------------------------------

@pytest.mark.parametrize("report, severity, rc, listed", [
    ("critical.json", "CRITICAL", 1, ["CVE-2024-0001", "GHSA-xxxx-yyyy-zzzz"]),
    ("critical.json", "HIGH", 1, ["CVE-2024-0001", "GHSA-xxxx-yyyy-zzzz", "CVE-2024-0002"]),
    ("critical.json", "low", 1, ["CVE-2024-0001", "GHSA-xxxx-yyyy-zzzz", "CVE-2024-0002", "CVE-2024-0003"]),
    ("high.json", "CRITICAL", 0, []),
    ("high.json", "HIGH", 1, ["CVE-2024-0002"]),
    ("high.json", "MEDIUM", 1, ["CVE-2024-0002", "CVE-2024-0004"]),
    ("high.json", "UNKNOWN", 1, ["CVE-2024-0002", "CVE-2024-0004", "CVE-2024-0005"]),
    ("clean.json", "LOW", 0, []),
    ("no-results.json", "UNKNOWN", 0, []),
])
def test_trivy_gate(report, severity, rc, listed):
    done = run(SCRIPTS / "trivy_gate.py", FIXTURES / report, "--severity", severity)
    assert done.returncode == rc, done.stdout + done.stderr
    found = [line.split()[1] for line in done.stdout.splitlines() if not line.startswith("trivy_gate:")]
    assert found == listed  # worst first, then by id
    assert ("FAIL" in done.stdout) == (rc == 1)


def test_trivy_gate_defaults_to_critical_and_names_package_fix_and_target():
    done = run(SCRIPTS / "trivy_gate.py", FIXTURES / "critical.json")
    assert done.returncode == 1
    assert "libssl3 3.0.11-1 (fixed: 3.0.15-1) in docker.io/acme/shopfront-order:sha-1a2b3c4 (debian 12.8)" in done.stdout
    assert "2 finding(s) at or above CRITICAL" in done.stdout


@pytest.mark.parametrize("report", ["not-trivy.json", "truncated.json", "missing.json"])
def test_trivy_gate_unreadable_report(report):
    done = run(SCRIPTS / "trivy_gate.py", FIXTURES / report)
    assert done.returncode == 2 and "trivy_gate:" in done.stderr


def test_trivy_gate_bad_severity():
    assert run(SCRIPTS / "trivy_gate.py", FIXTURES / "clean.json", "--severity", "SEVERE").returncode == 2


# ---- scripts/image_scan.sh (fake trivy) -----------------------------------------------------------------

def fake_trivy(tmp_path: Path, fixture: str | None, rc: int = 0) -> Path:
    """A trivy that records its arguments and writes FIXTURE to the --output file."""
    log = tmp_path / "trivy.args"
    fake = tmp_path / "trivy"
    copy = f'cp "{FIXTURES / fixture}" "$out"' if fixture else ":"
    fake.write_text(f"""#!/usr/bin/env bash
printf '%s\\n' "$@" >"{log}"
while [[ $# -gt 0 ]]; do [[ $1 == --output ]] && out=$2; shift; done
{copy}
exit {rc}
""")
    fake.chmod(0o755)
    return fake


@pytest.mark.parametrize("fixture, severity, rc", [
    ("critical.json", None, 1), ("high.json", None, 0), ("high.json", "HIGH", 1), ("clean.json", None, 0),
    ("not-trivy.json", None, 2),
])
def test_image_scan_gates_on_the_report(tmp_path, fixture, severity, rc):
    fake = fake_trivy(tmp_path, fixture)
    report = tmp_path / "report.json"
    done = run(SCRIPTS / "image_scan.sh", "docker.io/acme/shopfront-order:sha-1a2b3c4", report,
               *([severity] if severity else []), env={"TRIVY": str(fake)})
    assert done.returncode == rc, done.stdout + done.stderr
    args = (tmp_path / "trivy.args").read_text().split("\n")
    assert args[0] == "image" and args[-2] == "docker.io/acme/shopfront-order:sha-1a2b3c4"
    assert {"--format", "json", "--scanners", "vuln", "--ignorefile", str(ROOT / ".trivyignore")} <= set(args)
    assert args[args.index("--exit-code") + 1] == "0"  # the gate decides, not trivy
    assert report.exists()


def test_image_scan_trivy_failure(tmp_path):
    fake = fake_trivy(tmp_path, None, rc=1)
    done = run(SCRIPTS / "image_scan.sh", "img:sha-1a2b3c4", tmp_path / "r.json", env={"TRIVY": str(fake)})
    assert done.returncode == 2 and "could not scan" in done.stderr


def test_image_scan_usage():
    assert run(SCRIPTS / "image_scan.sh", "only-an-image").returncode == 2


# ---- scripts/image_push.sh (fake docker) -----------------------------------------------------------------

def fake_docker(tmp_path: Path, inspect_rc: int = 0) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "docker.log"
    (bin_dir / "docker").write_text(f"""#!/usr/bin/env bash
echo "$*" >>"{log}"
[[ $1 == image ]] && exit {inspect_rc}
exit 0
""")
    (bin_dir / "docker").chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG": str(log)}


def docker_calls(env: dict) -> list[str]:
    log = Path(env["LOG"])
    return log.read_text().splitlines() if log.exists() else []


def test_image_push_tags_and_pushes(tmp_path):
    env = fake_docker(tmp_path)
    done = run(SCRIPTS / "image_push.sh", "order", "v1.2.3", "sha-1a2b3c4", env=env)
    assert done.returncode == 0, done.stderr
    repo = "docker.io/acme/shopfront-order"
    assert docker_calls(env) == [
        f"image inspect {repo}:v1.2.3",
        f"push {repo}:v1.2.3",
        f"tag {repo}:v1.2.3 {repo}:sha-1a2b3c4",
        f"push {repo}:sha-1a2b3c4",
    ]


def test_image_push_prefix(tmp_path):
    env = fake_docker(tmp_path)
    done = run(SCRIPTS / "image_push.sh", "cart", "sha-1a2b3c4", env={**env, "IMAGE_PREFIX": "registry.test/x-"})
    assert done.returncode == 0
    assert docker_calls(env)[-1] == "push registry.test/x-cart:sha-1a2b3c4"


@pytest.mark.parametrize("args", [["order"], ["order", "latest"], ["order", "sha-1a2b3c4", "main"],
                                  ["Order", "sha-1a2b3c4"], ["../x", "v1.0.0"]])
def test_image_push_refuses_bad_input(tmp_path, args):
    env = fake_docker(tmp_path)
    done = run(SCRIPTS / "image_push.sh", *args, env=env)
    assert done.returncode == 2 and docker_calls(env) == []


def test_image_push_refuses_an_image_that_was_not_built(tmp_path):
    env = fake_docker(tmp_path, inspect_rc=1)
    done = run(SCRIPTS / "image_push.sh", "order", "sha-1a2b3c4", env=env)
    assert done.returncode == 2 and "was not built" in done.stderr
    assert not any(c.startswith("push") for c in docker_calls(env))


# ---- scripts/ci_git_identity.sh ------------------------------------------------------------------------

def test_ci_git_identity(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {"HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": str(tmp_path / "none"), "GIT_CONFIG_NOSYSTEM": "1"}
    run("git", "init", "-q", repo, env=env)
    done = run(SCRIPTS / "ci_git_identity.sh", env=env, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert run("git", "config", "--local", "user.name", env=env, cwd=repo).stdout.strip() == "github-actions[bot]"
    assert "users.noreply.github.com" in run("git", "config", "--local", "user.email", env=env, cwd=repo).stdout
    # An identity the repository already has is kept.
    run("git", "config", "--local", "user.name", "Release Bot", env=env, cwd=repo)
    run(SCRIPTS / "ci_git_identity.sh", "x", "x@example.test", env=env, cwd=repo)
    assert run("git", "config", "user.name", env=env, cwd=repo).stdout.strip() == "Release Bot"
    assert not (tmp_path / "none").exists()  # never --global


# ---- make plan --------------------------------------------------------------------------------------------

def test_make_plan_is_a_check_mode_site_run():
    done = run("make", "-n", "plan", "INVENTORY=inventories/dev")
    assert done.returncode == 0, done.stderr
    assert "ansible-playbook -i inventories/dev site.yml --check --diff" in done.stdout
    assert "scripts/bootstrap.sh" in done.stdout
