"""Trunk-based standards as files: the main ruleset, CODEOWNERS, the PR template, CONTRIBUTING and
the pre-commit hooks, checked against the workflows and the lint stage they must agree with."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from test_workflows import WORKFLOWS, jobs, triggers

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / ".github" / "rulesets" / "main.json"


def ruleset() -> dict:
    return json.loads(RULESET.read_text())


def rule(data: dict, kind: str) -> dict | None:
    return next((r for r in data["rules"] if r["type"] == kind), None)


def always_running_job_names() -> set[str]:
    """Check names of jobs in workflows that run on every pull request (no path filter)."""
    names = set()
    for wf in WORKFLOWS.values():
        pr = triggers(wf).get("pull_request")
        if pr is None or "pull_request" not in triggers(wf) or (pr or {}).get("paths"):
            continue
        for key, job in jobs(wf).items():
            names.add(str(job.get("name", key)))
    return names


def test_ruleset_protects_main():
    data = ruleset()
    assert data["target"] == "branch" and data["enforcement"] == "active"
    assert data["conditions"]["ref_name"]["include"] == ["~DEFAULT_BRANCH"]
    for kind in ("deletion", "non_fast_forward", "required_linear_history"):
        assert rule(data, kind), kind
    pr = rule(data, "pull_request")["parameters"]
    assert pr["required_approving_review_count"] >= 1 and pr["require_code_owner_review"] is True
    assert "merge" not in pr.get("allowed_merge_methods", ["merge"])  # linear history
    # Only deploy keys (the CI bump/promote commits) may bypass.
    assert [a["actor_type"] for a in data.get("bypass_actors", [])] == ["DeployKey"]


def test_required_checks_are_jobs_that_always_run():
    contexts = [c["context"] for c in rule(ruleset(), "required_status_checks")["parameters"]["required_status_checks"]]
    assert contexts
    assert set(contexts) <= always_running_job_names(), "a required check must come from a job that runs on every PR"


def test_required_check_that_never_runs_is_caught():
    names = always_running_job_names()
    assert "terraform-test" not in names  # path-filtered infrastructure.yml
    assert "test" not in names  # path-filtered service pipelines


def test_contributing_documents_the_flow_and_the_ruleset_command():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    assert "gh api repos/{owner}/{repo}/rulesets --method POST --input .github/rulesets/main.json" in text
    for needle in ("short-lived", "Conventional Commits", "make test", "gitops promote", "gitops bump", "pre-commit"):
        assert needle in text, needle


def test_codeowners_and_pr_template():
    owners = (ROOT / ".github" / "CODEOWNERS").read_text()
    lines = [ln.split() for ln in owners.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0][0] == "*", "a default owner first"
    assert all(len(ln) >= 2 and all(o.startswith("@") for o in ln[1:]) for ln in lines)
    for path in ("/.github/", "/terraform/modules/github-oidc/", "/services/order/", "/gitops/values/prod/"):
        assert any(ln[0] == path for ln in lines), path
    template = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert "make test" in template and "- [ ]" in template


def test_pre_commit_hooks_are_local_and_mirror_make_lint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"], "local hooks only: nothing to download"
    hooks = config["repos"][0]["hooks"]
    lint = (ROOT / "scripts" / "test.sh").read_text()
    lint = lint[lint.index("lint() {"):lint.index("trivy_config() {")]
    for hook in hooks:
        assert hook["language"] == "system"
        tool = hook["entry"].split()[0]
        if tool.startswith(".venv/bin/") or tool.startswith("scripts/"):
            assert (ROOT / tool).exists() or tool.startswith(".venv/bin/"), tool
        name = Path(tool).name
        if name != "pytest":
            assert re.search(rf"\b{re.escape(name)}\b", lint), f"hook {hook['id']}: {name} is not in make lint"
    ids = {h["id"] for h in hooks}
    assert {"yamllint", "ansible-lint", "terraform-fmt", "shellcheck", "hadolint", "actionlint", "gitops-validate"} <= ids
