"""The security properties of .github/workflows, checked on the real files and on broken copies.

Each check returns the problems it finds in one parsed workflow (an empty list is a pass), so the
negative tests can feed it a modified copy and see it fail. GitHub Actions cannot run here: these
tests, actionlint and checkov (scripts/test.sh lint) are what keeps the workflows honest.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = ROOT / ".github" / "workflows"
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
PUSH_EVENT = "github.event_name == 'push'"
ON_MAIN = "github.ref == 'refs/heads/main'"
ON_RELEASE_TAG = "startsWith(github.ref, 'refs/tags/v')"
AWS_CREDENTIALS = "aws-actions/configure-aws-credentials"
DOCKER_LOGIN = "docker/login-action"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


WORKFLOWS = {p.name: load(p) for p in sorted(WORKFLOW_DIR.glob("*.yml"))}


def triggers(wf: dict) -> dict:
    on = wf.get("on")
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {name: {} for name in on}
    return {k: v or {} for k, v in (on or {}).items()}


def jobs(wf: dict) -> dict:
    return wf.get("jobs") or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def action(step: dict) -> str:
    return str(step.get("uses", "")).split("@")[0]


def condition(job: dict, step: dict | None = None) -> str:
    """The job's and the step's `if:` together (both must hold)."""
    return " && ".join(str(c) for c in (job.get("if"), (step or {}).get("if")) if c)


def publishes(step: dict) -> bool:
    """Pushes an image or writes to the repository (gitops --push)."""
    run = str(step.get("run", ""))
    return (action(step) == DOCKER_LOGIN or "image_push.sh" in run or "docker push" in run
            or bool(re.search(r"scripts/gitops\s+(bump|promote)\b", run)))


# ---- the checks -----------------------------------------------------------------------------------

def check_triggers(wf: dict) -> list[str]:
    bad = {"pull_request_target", "workflow_run"} & set(triggers(wf))
    return [f"trigger {t} runs with secrets on untrusted code" for t in sorted(bad)]


def check_permissions(wf: dict) -> list[str]:
    problems = []
    top = wf.get("permissions")
    if top is None:
        problems.append("no workflow-level permissions (default token would be read/write)")
    elif not (top == {} or top == "read-all" or (isinstance(top, dict) and set(top.values()) <= {"read", "none"})):
        problems.append(f"workflow-level permissions must be {{}} or read-only, got {top!r}")
    for name, job in jobs(wf).items():
        perms = job.get("permissions")
        if not isinstance(perms, dict):
            problems.append(f"job {name}: explicit permissions mapping required, got {perms!r}")
            continue
        for scope, level in perms.items():
            if level not in ("read", "write", "none"):
                problems.append(f"job {name}: {scope}: {level!r}")
    return problems


def check_timeouts(wf: dict) -> list[str]:
    problems = []
    for name, job in jobs(wf).items():
        if "uses" in job:  # a reusable-workflow call: its own jobs carry the timeouts
            continue
        minutes = job.get("timeout-minutes")
        if not isinstance(minutes, int) or not 0 < minutes <= 120:
            problems.append(f"job {name}: timeout-minutes must be 1-120, got {minutes!r}")
    return problems


def check_concurrency(wf: dict) -> list[str]:
    conc = wf.get("concurrency")
    if not isinstance(conc, dict) or not conc.get("group"):
        return ["no workflow-level concurrency group"]
    if not isinstance(conc.get("cancel-in-progress"), bool):
        # checkov's workflow schema skips the whole file when this is an expression.
        return [f"cancel-in-progress must be a literal true/false, got {conc.get('cancel-in-progress')!r}"]
    return []


def check_pinned(text: str) -> list[str]:
    """Every action is pinned to a full commit SHA with its version in a comment (from the text:
    comments are not in the parsed YAML)."""
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        m = USES_LINE.match(line)
        if not m:
            continue
        ref, rest = m.group(1), m.group(2)
        if ref.startswith("./"):
            continue  # a workflow or action of this repository
        if not SHA_PIN.match(ref):
            problems.append(f"line {n}: {ref} is not pinned to a 40-hex commit SHA")
        elif not re.search(r"#\s*v\d+\.\d+\.\d+", rest):
            problems.append(f"line {n}: {ref} has no '# vX.Y.Z' comment")
    return problems


def check_run_scripts(wf: dict) -> list[str]:
    """No expression inside run: (values reach scripts through env:, never by text interpolation)."""
    problems = []
    for name, job in jobs(wf).items():
        for i, step in enumerate(steps(job)):
            for expr in EXPRESSION.findall(str(step.get("run", ""))):
                problems.append(f"job {name} step {i}: ${{{{{expr}}}}} interpolated into run:")
    return problems


def check_checkout_credentials(wf: dict) -> list[str]:
    """A checkout keeps no token in .git/config unless the job pushes (with the deploy key)."""
    problems = []
    for name, job in jobs(wf).items():
        for step in steps(job):
            if action(step) != "actions/checkout":
                continue
            w = step.get("with") or {}
            if "ssh-key" in w:
                if not any(publishes(s) for s in steps(job)):
                    problems.append(f"job {name}: a deploy key for a job that does not push")
            elif w.get("persist-credentials") is not False:
                problems.append(f"job {name}: checkout without persist-credentials: false")
    return problems


def check_publishing(wf: dict) -> list[str]:
    """Image pushes and gitops writes happen only on pushes to main or to release tags."""
    problems = []
    for name, job in jobs(wf).items():
        for step in steps(job):
            if not publishes(step):
                continue
            cond = condition(job, step)
            if PUSH_EVENT not in cond or not (ON_MAIN in cond or ON_RELEASE_TAG in cond):
                problems.append(f"job {name}: {step.get('name') or action(step)} may run outside main/tags: "
                                f"if {cond!r}")
            if "pull_request" in cond.replace("github.event_name == 'push'", ""):
                problems.append(f"job {name}: publishing step mentions pull_request in its condition")
    return problems


def check_prod_promotion(wf: dict) -> list[str]:
    """Prod is promoted only from a release tag refs/tags/vX.Y.Z."""
    problems = []
    for name, job in jobs(wf).items():
        if not any(re.search(r"scripts/gitops\s+promote\b", str(s.get("run", ""))) for s in steps(job)):
            continue
        if ON_RELEASE_TAG not in str(job.get("if", "")):
            problems.append(f"job {name}: promote without `if: ... {ON_RELEASE_TAG}`")
        trig = triggers(wf)
        if set(trig) != {"push"}:
            problems.append(f"job {name}: promote in a workflow triggered by {sorted(trig)} (push of tags only)")
        push = trig.get("push") or {}
        tags = push.get("tags") or []
        if push.get("branches") or not tags or not all(str(t).startswith("v") for t in tags):
            problems.append(f"job {name}: the workflow must trigger only on tags v*, got {push!r}")
    return problems


def check_id_token(wf: dict) -> list[str]:
    """id-token: write exactly on the jobs that assume an AWS role, and never with static keys."""
    problems = []
    for name, job in jobs(wf).items():
        oidc = (job.get("permissions") or {}).get("id-token") == "write"
        aws = [s for s in steps(job) if action(s) == AWS_CREDENTIALS]
        if oidc and not aws:
            problems.append(f"job {name}: id-token: write without an AWS role to assume")
        if aws and not oidc:
            problems.append(f"job {name}: assumes an AWS role without id-token: write")
        for s in aws:
            w = s.get("with") or {}
            if "role-to-assume" not in w or {"aws-access-key-id", "aws-secret-access-key"} & set(w):
                problems.append(f"job {name}: AWS credentials must come from OIDC (role-to-assume only)")
    return problems


CHECKS = [check_triggers, check_permissions, check_timeouts, check_concurrency, check_run_scripts,
          check_checkout_credentials, check_publishing, check_prod_promotion, check_id_token]


# ---- the real workflows ----------------------------------------------------------------------------

def test_workflows_exist():
    expected = {"_service.yml", "ci.yml", "infrastructure.yml", "release.yml",
                *(f"service-{s}.yml" for s in ("frontend", "product", "cart", "order"))}
    assert expected <= set(WORKFLOWS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_workflow_property(name, check):
    assert check(WORKFLOWS[name]) == []


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_actions_pinned(name):
    assert check_pinned((WORKFLOW_DIR / name).read_text()) == []


def test_same_action_same_pin():
    """One SHA per action across all workflows (a bump changes them all)."""
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_DIR.glob("*.yml"):
        for line in path.read_text().splitlines():
            m = USES_LINE.match(line)
            if m and "@" in m.group(1):
                repo, sha = m.group(1).split("@")
                pins.setdefault(repo, set()).add(sha + m.group(2).strip())
    assert {repo: shas for repo, shas in pins.items() if len(shas) > 1} == {}


def test_service_callers():
    """Four thin callers, each path-filtered to its service, calling the reusable pipeline."""
    for svc in ("frontend", "product", "cart", "order"):
        wf = WORKFLOWS[f"service-{svc}.yml"]
        (job,) = jobs(wf).values()
        assert job["uses"] == "./.github/workflows/_service.yml"
        assert job["with"]["service"] == svc
        assert job["with"]["mongodb"] is (svc != "frontend")
        for event in ("push", "pull_request"):
            paths = triggers(wf)[event]["paths"]
            assert f"services/{svc}/**" in paths and ".github/workflows/_service.yml" in paths
            if svc in ("product", "cart"):
                assert {"services/node-kit/**", "services/package.json", "services/package-lock.json"} <= set(paths)
        assert triggers(wf)["push"]["branches"] == ["main"]
        assert triggers(wf)["push"]["tags"] == ["v[0-9]+.[0-9]+.[0-9]+"]


def test_service_pipeline_jobs():
    wf = WORKFLOWS["_service.yml"]
    assert set(jobs(wf)) == {"test", "sonar", "image", "deploy-dev"}
    test = jobs(wf)["test"]
    assert "mongo:8.0" in test["services"]["mongodb"]["image"]
    assert "mongodb://localhost:27017" in test["env"]["TEST_MONGODB_URI"]
    sonar = jobs(wf)["sonar"]
    scan = next(s for s in steps(sonar) if action(s) == "SonarSource/sonarqube-scan-action")
    assert "-Dsonar.qualitygate.wait=true" in scan["with"]["args"]
    assert scan["env"]["SONAR_TOKEN"] == "${{ secrets.SONAR_TOKEN }}"
    assert "head.repo.full_name == github.repository" in sonar["if"]  # no secrets on forks
    image = jobs(wf)["image"]
    runs = " ".join(str(s.get("run", "")) for s in steps(image))
    for script in ("scripts/image_tag.py", "scripts/build_images.sh", "scripts/image_scan.sh", "scripts/image_push.sh"):
        assert script in runs
    assert "CRITICAL" in runs
    deploy = jobs(wf)["deploy-dev"]
    assert ON_MAIN in deploy["if"] and PUSH_EVENT in deploy["if"]
    assert any("--env dev --push" in str(s.get("run", "")) for s in steps(deploy))


# ---- infrastructure: OIDC subjects, molecule matrix ----------------------------------------------

def inventory(env: str) -> dict:
    return yaml.safe_load((ROOT / "inventories" / env / "group_vars" / "platform.yml").read_text())


def oidc_subject(job: dict, trigger_events: set[str]) -> str:
    """The `sub` claim GitHub puts in the job's OIDC token."""
    if job.get("environment"):
        env = job["environment"]
        return f"environment:{env['name'] if isinstance(env, dict) else env}"
    cond = str(job.get("if", ""))
    if "github.event_name == 'pull_request'" in cond and "pull_request" in trigger_events:
        return "pull_request"
    if ON_MAIN in cond and PUSH_EVENT in cond:
        return "ref:refs/heads/main"
    raise AssertionError(f"cannot tell which ref or event runs the job (if: {cond!r})")


def aws_jobs(wf: dict) -> list[dict]:
    """One entry per (job, matrix entry) that assumes an AWS role: env, kind, region, subject."""
    found = []
    for name, job in jobs(wf).items():
        for step in steps(job):
            if action(step) != AWS_CREDENTIALS:
                continue
            entries = (job.get("strategy") or {}).get("matrix", {}).get("include") or [{}]
            for entry in entries:
                role = step["with"]["role-to-assume"]
                var = entry.get("role_arn_variable") if "matrix.role_arn_variable" in role else \
                    re.search(r"vars\.([A-Z0-9_]+)", role).group(1)
                m = re.fullmatch(r"AWS_(PLAN|APPLY)_ROLE_ARN_([A-Z]+)", var or "")
                assert m, f"job {name}: role ARN variable {var!r} must be AWS_<PLAN|APPLY>_ROLE_ARN_<ENV>"
                env_name = entry.get("environment") or (job.get("env") or {}).get("ENVIRONMENT")
                region = step["with"]["aws-region"]
                region = entry.get("region") if "matrix.region" in region else (job.get("env") or {}).get("AWS_REGION")
                found.append({"job": name, "kind": m.group(1).lower(), "var_env": m.group(2).lower(),
                              "env": env_name, "region": region,
                              "subject": oidc_subject(job, set(triggers(wf)))})
    return found


def check_oidc_subjects(wf: dict, inventories: dict[str, dict]) -> list[str]:
    problems = []
    seen = set()
    for j in aws_jobs(wf):
        inv = inventories.get(j["env"])
        if inv is None:
            problems.append(f"job {j['job']}: unknown environment {j['env']!r}")
            continue
        seen.add((j["env"], j["kind"]))
        if j["var_env"] != j["env"]:
            problems.append(f"job {j['job']}: {j['env']} uses the {j['var_env']} role")
        trusted = inv[f"github_oidc_{j['kind']}_subjects"]
        if j["subject"] not in trusted:
            problems.append(f"job {j['job']} ({j['env']}): subject {j['subject']!r} is not trusted by the "
                            f"{j['kind']} role {trusted}")
        if j["region"] != inv["platform_aws_region"]:
            problems.append(f"job {j['job']}: region {j['region']} != {inv['platform_aws_region']}")
    for env in inventories:
        for kind in ("plan", "apply"):
            if (env, kind) not in seen:
                problems.append(f"no job assumes the {kind} role of {env}")
    return problems


INVENTORIES = {env: inventory(env) for env in ("dev", "prod")}


def test_oidc_subjects_match_the_trusted_ones():
    assert check_oidc_subjects(WORKFLOWS["infrastructure.yml"], INVENTORIES) == []


def test_foundation_passes_the_inventory_subjects_to_the_stack():
    """The subjects compared above are what the github-oidc stack trusts (repo:<org/repo>:<subject>)."""
    text = (ROOT / "playbooks" / "foundation.yml").read_text()
    assert 'plan_subjects: "{{ github_oidc_plan_subjects }}"' in text
    assert 'apply_subjects: "{{ github_oidc_apply_subjects }}"' in text
    module = (ROOT / "terraform/modules/github-oidc/main.tf").read_text()
    assert 'for s in var.apply_subjects : "repo:${var.github_repository}:${s}"' in module


def test_apply_order_and_protection():
    wf = jobs(WORKFLOWS["infrastructure.yml"])
    assert wf["apply-prod"]["needs"] == "apply-dev"
    assert wf["apply-prod"]["environment"] == "prod"
    for name in ("apply-dev", "apply-prod"):
        assert PUSH_EVENT in wf[name]["if"] and ON_MAIN in wf[name]["if"]
    assert "pull_request" in wf["plan"]["if"]
    for name in ("terraform-test", "molecule-kind"):
        assert "id-token" not in wf[name]["permissions"]


def test_molecule_kind_matrix_lists_every_kind_scenario():
    roles = sorted(p.parent.parent.name for p in ROOT.glob("molecule/*/kind/molecule.yml"))
    matrix = jobs(WORKFLOWS["infrastructure.yml"])["molecule-kind"]["strategy"]["matrix"]["role"]
    assert matrix == roles
    assert any("make molecule-kind ROLE=" in str(s.get("run", ""))
               for s in steps(jobs(WORKFLOWS["infrastructure.yml"])["molecule-kind"]))


# ---- what the steps call exists and is tested ------------------------------------------------------

def called(wf: dict) -> tuple[set[str], set[str]]:
    targets, scripts = set(), set()
    for job in jobs(wf).values():
        for step in steps(job):
            run = str(step.get("run", ""))
            targets |= set(re.findall(r"\bmake\s+([a-z][a-z-]*)", run))
            scripts |= set(re.findall(r"((?:scripts|services/\"\$SERVICE\")/[\w./-]+)", run))
    return targets, scripts


def test_called_targets_and_scripts_exist_and_are_tested():
    makefile = (ROOT / "Makefile").read_text()
    test_sh = (ROOT / "scripts" / "test.sh").read_text()
    tests = "\n".join(p.read_text() for p in (ROOT / "tests").glob("test_*.py") if p.name != "test_workflows.py")
    all_targets, all_scripts = set(), set()
    for wf in WORKFLOWS.values():
        t, s = called(wf)
        all_targets |= t
        all_scripts |= s
    assert all_targets >= {"bootstrap", "lint", "ci-tests", "terraform-test", "molecule-kind", "plan", "up"}
    for target in all_targets:
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"make {target}: no such target"
    for script in all_scripts:
        if script.startswith("services/"):
            assert "services/*/test.sh" in test_sh  # make test runs every service's test.sh
            continue
        path = ROOT / script
        assert path.is_file() and path.stat().st_mode & 0o111, f"{script} missing or not executable"
        assert path.name in tests or path.name in test_sh, f"{script}: no test runs it"


def test_checkov_scans_every_workflow():
    """checkov silently skips a workflow its schema rejects (e.g. an expression in cancel-in-progress):
    make sure the `make lint` invocation really checks each file and finds nothing."""
    checkov = ROOT / ".venv-checkov" / "bin" / "checkov"
    if not checkov.exists():
        pytest.skip("checkov is installed by make bootstrap")
    out = subprocess.run([str(checkov), "--compact", "--skip-download", "--framework", "github_actions",
                          "-d", ".", "--skip-path", ".venv", "--skip-path", ".venv-checkov", "--skip-path", ".cache",
                          "--skip-path", ".state", "--skip-path", "node_modules", "-o", "json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    report = report[0] if isinstance(report, list) else report
    results = report["results"]
    scanned = {Path(c["file_path"]).name for c in results["passed_checks"] + results["failed_checks"]}
    assert scanned == set(WORKFLOWS)
    assert results["failed_checks"] == []


# ---- each check fails on a broken copy -------------------------------------------------------------

def broken(name: str, edit) -> dict:
    wf = copy.deepcopy(WORKFLOWS[name])
    edit(wf)
    return wf


NEGATIVE = {
    "pull_request_target": (check_triggers, "ci.yml",
                            lambda wf: wf["on"].update({"pull_request_target": {"branches": ["main"]}})),
    "workflow write-all": (check_permissions, "ci.yml", lambda wf: wf.update({"permissions": "write-all"})),
    "workflow without permissions": (check_permissions, "release.yml", lambda wf: wf.pop("permissions")),
    "job without permissions": (check_permissions, "ci.yml", lambda wf: wf["jobs"]["lint"].pop("permissions")),
    "no timeout": (check_timeouts, "infrastructure.yml", lambda wf: wf["jobs"]["plan"].pop("timeout-minutes")),
    "no concurrency": (check_concurrency, "_service.yml", lambda wf: wf.pop("concurrency")),
    "expression cancel-in-progress": (check_concurrency, "ci.yml", lambda wf: wf["concurrency"].update(
        {"cancel-in-progress": "${{ github.event_name == 'pull_request' }}"})),
    "head_ref in run": (check_run_scripts, "_service.yml", lambda wf: wf["jobs"]["test"]["steps"].append(
        {"run": 'echo "${{ github.head_ref }}"'})),
    "event title in run": (check_run_scripts, "ci.yml", lambda wf: wf["jobs"]["lint"]["steps"].append(
        {"run": "echo ${{ github.event.pull_request.title }}"})),
    "inputs in run": (check_run_scripts, "_service.yml", lambda wf: wf["jobs"]["image"]["steps"].append(
        {"run": "scripts/build_images.sh ${{ inputs.service }}"})),
    "token kept by checkout": (check_checkout_credentials, "ci.yml",
                               lambda wf: wf["jobs"]["lint"]["steps"][0]["with"].pop("persist-credentials")),
    "push on pull requests": (check_publishing, "_service.yml",
                              lambda wf: [s.pop("if", None) for s in wf["jobs"]["image"]["steps"]]),
    "bump from any branch": (check_publishing, "_service.yml", lambda wf: wf["jobs"]["deploy-dev"].update(
        {"if": "github.event_name == 'push'"})),
    "promote from a branch": (check_prod_promotion, "release.yml", lambda wf: wf["on"]["push"].update(
        {"branches": ["main"]})),
    "promote on pull requests": (check_prod_promotion, "release.yml", lambda wf: wf["on"].update(
        {"pull_request": {}})),
    "promote without tag condition": (check_prod_promotion, "release.yml",
                                      lambda wf: wf["jobs"]["promote-prod"].update({"if": PUSH_EVENT})),
    "id-token on a job without AWS": (check_id_token, "infrastructure.yml", lambda wf: wf["jobs"]["terraform-test"][
        "permissions"].update({"id-token": "write"})),
    "static AWS keys": (check_id_token, "infrastructure.yml", lambda wf: wf["jobs"]["apply-dev"]["steps"][2][
        "with"].update({"aws-access-key-id": "${{ secrets.AWS_ACCESS_KEY_ID }}"})),
}


@pytest.mark.parametrize("case", sorted(NEGATIVE))
def test_check_fails_on_broken_copy(case):
    check, name, edit = NEGATIVE[case]
    assert check(WORKFLOWS[name]) == []
    assert check(broken(name, edit)) != []


def test_pin_check_fails_on_tags_and_missing_comments():
    text = (WORKFLOW_DIR / "ci.yml").read_text()
    assert check_pinned(text.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4"))
    assert check_pinned(text.replace(" # v4.2.2", ""))
    assert check_pinned(text + "\n      - uses: actions/checkout@main # v4.2.2\n")


@pytest.mark.parametrize("edit, why", [
    (lambda wf: wf["jobs"]["apply-prod"].pop("environment"), "prod applied without its environment"),
    (lambda wf: wf["jobs"]["apply-dev"].update({"environment": "dev"}), "dev subject becomes environment:dev"),
    (lambda wf: wf["jobs"]["plan"]["strategy"]["matrix"]["include"][1].update(
        {"role_arn_variable": "AWS_PLAN_ROLE_ARN_DEV"}), "prod plan with the dev role"),
    (lambda wf: wf["jobs"]["apply-prod"]["env"].update({"AWS_REGION": "us-east-1"}), "wrong region"),
    (lambda wf: wf["jobs"].pop("apply-prod"), "no prod apply"),
])
def test_oidc_check_fails_on_broken_copy(edit, why):
    assert check_oidc_subjects(broken("infrastructure.yml", edit), INVENTORIES) != [], why
